// Every screen in this group needs a session; without one, the person goes to /login.
import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async () => {
  const session = await api.auth.me.query().catch(failLoad);
  if (!session) redirect(307, resolve('/login'));
  return { session };
};
