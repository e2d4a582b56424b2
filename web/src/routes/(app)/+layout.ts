// Every screen in this group needs a session; without one, the person goes to /login.
import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import { setPersonLocale, setTenantLocale, useLocaleArea } from '#lib/i18n/locale.ts';
import { setTenantFormat } from '#lib/locale-format.ts';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ url }) => {
  const session = await api.auth.me.query().catch(failLoad);
  if (!session) redirect(307, resolve('/login'));
  // The console's language: the person's own (kept on their account), else the tenant's, else
  // the browser's (ADR 0030); dates and numbers in the tenant's locale and time zone.
  useLocaleArea('console');
  setTenantLocale(session.tenantLocale);
  setPersonLocale(session.userLocale);
  setTenantFormat({ locale: session.tenantLocale, timeZone: session.tenantTimeZone });
  // The tenant requires two-factor and this person has none yet: enrolment comes first.
  const account = resolve('/(app)/account');
  if (session.mustEnrolTwoFactor && url.pathname !== account) redirect(307, account);
  return { session };
};
