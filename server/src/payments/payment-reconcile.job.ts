// Job `payment.reconcile` (every minute): attempts still pending after a few minutes are asked
// about (STK query, Checkout Session retrieve) — M-Pesa callbacks sometimes never arrive —
// and settled through the same path as a callback. Pending answers wait for the next pass; an
// M-Pesa push the STK query still cannot settle after 10 minutes is asked about once more by
// Transaction Status, whose answer arrives on its own callback (transaction-status.service.ts).
import { and, asc, eq, isNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { forEachTenant, paymentAttempts } from '@kasi/db';
import { isDomainError } from '@kasi/domain';
import { defineJobKind, standardQueueRules } from '../jobs/job-kind.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { settleAttempt } from './attempt-settle.ts';
import { askStatusForStuckAttempt } from './transaction-status.service.ts';
import { openGateway } from './gateway-factory.ts';
import type { PaymentDeps } from './payment-deps.ts';

export const paymentReconcileJob = defineJobKind({
  name: 'payment.reconcile',
  data: z.object({}),
  queue: (s) => standardQueueRules(s, { retryLimit: 0, expireInSeconds: 300 }),
  schedule: { cron: '* * * * *', data: {} },
});

/** Minutes without news before an attempt is asked about, and between two questions. */
export const STALE_AFTER_MS = 2 * 60_000;
const BATCH = 100;

export async function reconcileStaleAttempts(deps: PaymentDeps, now = new Date()) {
  // Attempts are behind row-level security: asked about tenant by tenant (ADR 0019).
  const tallies = await forEachTenant(deps.app.db, () => reconcileTenant(deps, now));
  return tallies.reduce(
    (a, t) => ({
      asked: a.asked + t.asked,
      settled: a.settled + t.settled,
      pending: a.pending + t.pending,
      errors: a.errors + t.errors,
    }),
    { asked: 0, settled: 0, pending: 0, errors: 0 },
  );
}

async function reconcileTenant(deps: PaymentDeps, now: Date) {
  const { db } = deps.app;
  const before = new Date(now.getTime() - STALE_AFTER_MS);
  const stale = await db
    .select()
    .from(paymentAttempts)
    .where(
      and(
        eq(paymentAttempts.status, 'pending'),
        lt(paymentAttempts.createdAt, before),
        or(isNull(paymentAttempts.lastQueriedAt), lt(paymentAttempts.lastQueriedAt, before)),
      ),
    )
    .orderBy(asc(paymentAttempts.createdAt))
    .limit(BATCH);
  const tally = { asked: 0, settled: 0, pending: 0, errors: 0 };
  for (const a of stale) {
    if (!a.providerRef) continue;
    tally.asked++;
    try {
      const tg = await openGateway(deps, db, a.tenantId, a.gateway);
      const s = await tg.gateway.fetchStatus(a.providerRef);
      await db.update(paymentAttempts).set({ lastQueriedAt: now }).where(eq(paymentAttempts.id, a.id));
      if (s.state === 'pending') {
        tally.pending++;
        await askStatus(deps, a, now);
        continue;
      }
      await settleAttempt(deps, a, {
        state: s.state,
        resultCode: s.resultCode,
        reason: s.reason,
        receipt: s.receipt,
      });
      tally.settled++;
    } catch (e) {
      if (!isDomainError(e)) throw e;
      tally.errors++;
      deps.app.log.warn({ attempt: a.id, code: e.code }, 'payment status query failed');
      // The STK query refuses (Daraja forgets pushes): Transaction Status may still know.
      await askStatus(deps, a, now);
    }
  }
  return tally;
}

/** Transaction Status for an attempt the STK query cannot settle; a refusal waits for the next pass. */
async function askStatus(deps: PaymentDeps, a: typeof paymentAttempts.$inferSelect, now: Date) {
  try {
    await askStatusForStuckAttempt(deps, a, now);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    deps.app.log.warn({ attempt: a.id, code: e.code }, 'M-Pesa Transaction Status query failed');
  }
}

export function paymentReconcileHandler(deps: PaymentDeps): JobHandler {
  return defineJobHandler({
    kind: paymentReconcileJob,
    run: async () => reconcileStaleAttempts(deps),
  });
}
