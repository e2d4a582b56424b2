import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:vouchers');
  // All three queries travel in one HTTP request (httpBatchLink).
  const [plans, batches, figures] = await Promise.all([
    api.plan.list.query(),
    api.voucher.batches.query(),
    api.voucher.figures.query({ by: 'tenant' }),
  ]).catch(failLoad);
  return { plans, batches, totals: figures[0]?.[1] };
};
