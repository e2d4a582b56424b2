import { can } from '@kasi/domain';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends, parent }) => {
  depends('app:account');
  const { session } = await parent();
  // Held at the enrolment gate, only the two-factor sections (TOTP, passkeys) can load.
  const open = !session.mustEnrolTwoFactor;
  const [security, passkeys, sessions, members] = await Promise.all([
    api.account.security.query(),
    api.account.passkeys.query(),
    open ? api.account.sessions.query() : [],
    open && can(session.role, 'user.manage') ? api.member.list.query() : null,
  ]).catch(failLoad);
  return { security, passkeys, sessions, members };
};
