import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageLoad = async ({ url, depends }) => {
  depends('app:reconciliation');
  const wanted = url.searchParams.get('day');
  // No day: the server picks yesterday on the tenant's calendar (the day the schedule reconciles).
  const view = await api.reconcile.day
    .query({ day: wanted && ISO_DAY.test(wanted) ? wanted : null })
    .catch(failLoad);
  return { view };
};
