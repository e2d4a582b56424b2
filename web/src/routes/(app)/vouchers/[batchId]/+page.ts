import { error } from '@sveltejs/kit';
import { api, CODES_PAGE_SIZE } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import { m } from '#lib/i18n/locale.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends }) => {
  depends('app:voucher-batch');
  // There is no "get one batch" procedure, so the batch and its plan are picked from the lists;
  // all four queries still travel in one HTTP request.
  const [codes, batches, plans, printRuns] = await Promise.all([
    api.voucher.codes.query({ batchId: params.batchId, limit: CODES_PAGE_SIZE }),
    api.voucher.batches.query(),
    api.plan.list.query(),
    api.voucher.printRuns.query({ batchId: params.batchId }),
  ]).catch(failLoad);
  const summary = batches.find((b) => b.batch.id === params.batchId);
  if (!summary) error(404, m.console_vouchers_no_batch());
  return { codes, summary, plans, printRuns, plan: plans.find((p) => p.id === summary.batch.planId) };
};
