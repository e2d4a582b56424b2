// Job `payment.reconcile_day` (hourly): every tenant whose local clock has passed 03:00 gets
// the previous local day reconciled per enabled provider, once (ADR 0029). Hourly rather than
// one cron per tenant: tenants sit in different time zones and the pass is cheap when a day is
// already done; a failed run (provider down) is tried again the next hour.
import { z } from 'zod';
import { forEachTenant } from '@kasi/db';
import { defineJobKind, standardQueueRules } from '../jobs/job-kind.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { reconcileTenantIfDue } from './reconcile.service.ts';

export const paymentReconcileDayJob = defineJobKind({
  name: 'payment.reconcile_day',
  data: z.object({}),
  queue: (s) => standardQueueRules(s, { retryLimit: 0, expireInSeconds: 1800 }),
  schedule: { cron: '11 * * * *', data: {} },
});

/** One pass over every tenant; one tenant's failure does not stop the others. */
export async function reconcileDueDays(deps: PaymentDeps, now = new Date()) {
  const log = deps.app.log.child({ component: 'reconcile' });
  const ran = await forEachTenant(deps.app.db, async (tenantId) => {
    try {
      return await reconcileTenantIfDue(deps, tenantId, now);
    } catch (err) {
      log.error({ err, tenantId }, 'daily reconciliation failed for a tenant');
      return 0;
    }
  });
  return { runs: ran.reduce((a, b) => a + b, 0) };
}

export function paymentReconcileDayHandler(deps: PaymentDeps): JobHandler {
  return defineJobHandler({
    kind: paymentReconcileDayJob,
    run: async () => reconcileDueDays(deps),
  });
}
