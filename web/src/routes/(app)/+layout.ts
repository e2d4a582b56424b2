// Every screen in this group needs a session; without one, the person goes to /login.
import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ url }) => {
  const session = await api.auth.me.query().catch(failLoad);
  if (!session) redirect(307, resolve('/login'));
  // The tenant requires two-factor and this person has none yet: enrolment comes first.
  const account = resolve('/(app)/account');
  if (session.mustEnrolTwoFactor && url.pathname !== account) redirect(307, account);
  return { session };
};
