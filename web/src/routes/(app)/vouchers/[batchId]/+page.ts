import { error } from '@sveltejs/kit';
import { api, CODES_PAGE_SIZE } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends }) => {
  depends('app:voucher-batch');
  // There is no "get one batch" procedure, so the batch and its plan are picked from the lists;
  // all three queries still travel in one HTTP request.
  const [codes, batches, plans] = await Promise.all([
    api.voucher.codes.query({ batchId: params.batchId, limit: CODES_PAGE_SIZE }),
    api.voucher.batches.query(),
    api.plan.list.query(),
  ]).catch(failLoad);
  const summary = batches.find((b) => b.batch.id === params.batchId);
  if (!summary) error(404, 'No such voucher batch');
  return { codes, summary, plans, plan: plans.find((p) => p.id === summary.batch.planId) };
};
