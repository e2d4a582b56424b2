// Someone who is already signed in has nothing to do here.
import { redirect } from '@sveltejs/kit';
import { landingFor } from '#lib/sign-in.ts';
import { api } from '#lib/api.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async () => {
  // A failed check only means we show the form; the login call will report real problems.
  const session = await api.auth.me.query().catch(() => null);
  if (session) redirect(307, landingFor(session));
};
