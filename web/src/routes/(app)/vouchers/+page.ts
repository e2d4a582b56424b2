import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:vouchers');
  // Both queries travel in one HTTP request (httpBatchLink).
  const [plans, batches] = await Promise.all([api.plan.list.query(), api.voucher.batches.query()]).catch(
    failLoad,
  );
  return { plans, batches };
};
