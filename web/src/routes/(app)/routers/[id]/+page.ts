import { error } from '@sveltejs/kit';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import { m } from '#lib/i18n/locale.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends }) => {
  depends('app:routers');
  depends('app:change-plans');
  // No "get one router" procedure: picked from the list. Live sessions are read by the page
  // itself, so a slow or unreachable router never holds up the rest.
  const [routers, plans] = await Promise.all([
    api.router.list.query(),
    api.router.plans.query({ id: params.id }),
  ]).catch(failLoad);
  const router = routers.find((r) => r.id === params.id);
  if (!router) error(404, m.console_routers_no_router());
  return { router, plans };
};
