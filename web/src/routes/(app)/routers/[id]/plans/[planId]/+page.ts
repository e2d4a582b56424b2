import { error } from '@sveltejs/kit';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import { m } from '#lib/i18n/locale.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends }) => {
  depends('app:change-plans');
  // There is no "get one plan" or "get one router" procedure: both are picked from their lists,
  // which still travel in one HTTP request.
  const [plans, routers, tenant] = await Promise.all([
    api.router.plans.query({ id: params.id }),
    api.router.list.query(),
    api.settings.tenant.query(),
  ]).catch(failLoad);
  const plan = plans.find((p) => p.id === params.planId);
  const router = routers.find((r) => r.id === params.id);
  if (!plan || !router) error(404, m.console_routers_no_plan());
  return { plan, router, twoPersonApproval: tenant.twoPersonApproval };
};
