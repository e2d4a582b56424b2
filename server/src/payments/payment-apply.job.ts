// Job `payment.apply`: one inbox event to its effect. pg-boss may run it twice; every step is
// idempotent (the payment's source is the attempt, statuses only move forward, the event is
// marked applied last). An event for an attempt already succeeded is a duplicate at once, with
// no provider call. An M-Pesa "paid" callback is unsigned, so it is believed only after an STK
// query says the same (if the query no longer knows the push, Transaction Status decides later); a callback for a push whose own answer is not stored yet waits
// unmatched until the push is stored (payment-attempt.service enqueues it again then).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { paymentAttempts, paymentEvents, type InboxOutcome } from '@kasi/db';
import { isDomainError } from '@kasi/domain';
import type { PaymentEvent } from '@kasi/payments';
import { permanentFailure, transientFailure } from '../jobs/job-failure.ts';
import { defineJobKind, standardQueueRules } from '../jobs/job-kind.ts';
import { defineJobHandler, type JobHandler } from '../jobs/job-worker.ts';
import { settleAttempt, type AttemptRow } from './attempt-settle.ts';
import { applyDirectPayment } from './direct-payment.ts';
import { openGateway, type TenantGateway } from './gateway-factory.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { applyProviderRefund } from './refund.service.ts';
import { applyProviderPlanRefund } from './plan-refund.service.ts';

export const paymentApplyJob = defineJobKind({
  name: 'payment.apply',
  data: z.object({ tenantId: z.uuid(), eventId: z.uuid() }),
  // No NOTIFY inside the inbox transaction (it would serialise the inbox's commits): the
  // webhook route wakes the workers after its commit instead (JobQueue.wake, ADR 0020).
  queue: (s) => standardQueueRules(s, { notify: false }),
});

async function findAttempt(deps: PaymentDeps, tenantId: string, gateway: string, e: PaymentEvent) {
  const where = [eq(paymentAttempts.tenantId, tenantId), eq(paymentAttempts.gateway, gateway as 'mpesa')];
  // Stripe echoes Kasi's attempt id; M-Pesa is matched on CheckoutRequestID alone.
  where.push(
    e.attemptId ? eq(paymentAttempts.id, e.attemptId) : eq(paymentAttempts.providerRef, e.providerRef),
  );
  if (e.attemptId && !/^[0-9a-f-]{36}$/i.test(e.attemptId)) return null;
  const [a] = await deps.app.db
    .select()
    .from(paymentAttempts)
    .where(and(...where));
  if (a && e.attemptId && a.providerRef !== e.providerRef) return null;
  return a ?? null;
}

/**
 * A callback's receipt for a push the STK query no longer knows: kept on the still pending
 * attempt as a lead, nothing credited. The stale-attempt job asks Transaction Status by that
 * receipt (the id Safaricom documents for it) and settles only on an answer that names the
 * same receipt with the attempt's amount (transaction-status.service.ts, ADR 0029).
 */
async function keepReceiptLead(deps: PaymentDeps, a: AttemptRow, receipt: string | null) {
  if (!receipt) return;
  await deps.app.db
    .update(paymentAttempts)
    .set({ receipt, updatedAt: new Date() })
    .where(
      and(
        eq(paymentAttempts.tenantId, a.tenantId),
        eq(paymentAttempts.id, a.id),
        inArray(paymentAttempts.status, ['created', 'pending']),
        isNull(paymentAttempts.receipt),
      ),
    );
}

async function applyToAttempt(deps: PaymentDeps, tg: TenantGateway, a: AttemptRow, e: PaymentEvent) {
  // Settled already (by the stale-attempt query, Transaction Status or an earlier event): no
  // second effect and no question to the provider, which may have forgotten the push by now.
  if (a.status === 'succeeded') return 'duplicate' as const;
  if (e.type === 'failed')
    return settleAttempt(deps, a, {
      state: 'failed',
      resultCode: e.resultCode,
      reason: e.reason,
      receipt: null,
    });
  if (e.type !== 'succeeded') return 'ignored' as const;
  if (tg.row.gateway === 'mpesa') {
    let status: Awaited<ReturnType<typeof tg.gateway.fetchStatus>>;
    try {
      status = await tg.gateway.fetchStatus(e.providerRef);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      // The STK query refuses (Daraja forgets pushes, or is down): retrying here would fail
      // for ever. The attempt stays pending for the stale-attempt job, with the receipt as a lead.
      await keepReceiptLead(deps, a, e.receipt);
      return 'unconfirmed' as const;
    }
    if (status.state === 'pending') throw transientFailure('M-Pesa has not confirmed the payment yet');
    if (status.state === 'failed') return 'unconfirmed' as const;
  }
  return settleAttempt(deps, a, {
    state: 'succeeded',
    resultCode: e.resultCode,
    reason: null,
    receipt: e.receipt,
  });
}

export async function applyPaymentEvent(
  deps: PaymentDeps,
  tenantId: string,
  eventId: string,
): Promise<InboxOutcome> {
  const { db } = deps.app;
  const [ev] = await db
    .select()
    .from(paymentEvents)
    .where(and(eq(paymentEvents.tenantId, tenantId), eq(paymentEvents.id, eventId)));
  if (!ev) throw permanentFailure('The inbox event no longer exists');
  if (ev.appliedAt && ev.outcome) return ev.outcome;
  const tg = await openGateway(deps, db, tenantId, ev.gateway);
  const e = tg.gateway
    .normalise(Buffer.from(ev.rawBody, 'utf8'))
    .find((x) => x.eventId === ev.providerEventId);
  let outcome: InboxOutcome;
  let attemptId: string | null = null;
  if (!e || e.type === 'ignored' || e.type === 'pending') outcome = 'ignored';
  else if (e.type === 'refunded' || e.type === 'disputed')
    outcome =
      (await applyProviderPlanRefund(deps, tenantId, ev.gateway, e)) ??
      (await applyProviderRefund(deps, tenantId, ev.gateway, e));
  else if (e.type === 'direct_payment') outcome = await applyDirectPayment(deps, tenantId, ev.gateway, e);
  else {
    const a = await findAttempt(deps, tenantId, ev.gateway, e);
    if (!a) return 'unmatched'; // stays unapplied: matched when its attempt is stored, else reconciliation
    attemptId = a.id;
    outcome = await applyToAttempt(deps, tg, a, e);
  }
  await db
    .update(paymentEvents)
    .set({ appliedAt: new Date(), outcome, attemptId })
    .where(eq(paymentEvents.id, ev.id));
  return outcome;
}

export function paymentApplyHandler(deps: PaymentDeps): JobHandler {
  return defineJobHandler({
    kind: paymentApplyJob,
    async run(job) {
      return { outcome: await applyPaymentEvent(deps, job.data.tenantId, job.data.eventId) };
    },
  });
}
