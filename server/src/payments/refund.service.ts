// Money going back (ADR 0021). A refund is requested on a gateway payment: above the tenant's
// approval threshold it waits for a second operator (billing's two-person rule, the same as
// credit notes and write-offs); then Stripe and PayPal are asked through their APIs (Kasi's
// refund id is the idempotency key, so a retry is the same refund) and an M-Pesa reversal —
// done in Safaricom's portal — is recorded with its transaction id. Every refund that
// succeeds posts one reversing ledger entry (source `refund`, its id) and an audit row, under
// the subscriber's money lock. Refunds and disputes the provider reports by webhook go through
// `applyProviderRefund`, keyed on what the provider said, so a replay posts nothing.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  allocations,
  invoices,
  paymentAttempts,
  paymentRefunds,
  payments,
  writeAudit,
  type GatewayKind,
} from '@kasi/db';
import { conflict, invalid, isDomainError, notFound, settledStatus } from '@kasi/domain';
import type { PaymentEvent } from '@kasi/payments';
import type { Actor } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { decidedApproval, decidePending, type Decision } from '../billing/approval-decision.ts';
import { withSubscriberMoney, type MoneyContext, type Tx } from '../billing/billing-tx.ts';
import { appendLedger } from '../billing/ledger.ts';
import { allocate } from '../billing/settle.ts';
import { requestApproval } from '../billing/second-person.ts';
import { transientFailure } from '../jobs/job-failure.ts';
import { gatewayActor } from './attempt-settle.ts';
import { openGateway } from './gateway-factory.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { refundDecisionInput, refundInput, refundListInput, type RefundInput } from '@kasi/domain';

export type RefundRow = typeof paymentRefunds.$inferSelect;
type PaymentRow = typeof payments.$inferSelect;

/** Refunds that hold part of the payment: waiting, on their way, or done. */
const HOLDING = ['pending_approval', 'requested', 'succeeded'] as const;

/** The gateway a payment came through and the provider's id to refund (payment intent, capture). */
async function gatewayOf(
  tx: Tx,
  p: PaymentRow,
): Promise<{ gateway: GatewayKind; providerRef: string | null }> {
  if (p.sourceId?.startsWith('mpesa:')) return { gateway: 'mpesa', providerRef: p.sourceId.slice(6) };
  const [a] = await tx
    .select({ gateway: paymentAttempts.gateway, receipt: paymentAttempts.receipt })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.tenantId, p.tenantId), eq(paymentAttempts.paymentId, p.id)));
  if (!a) {
    throw conflict(
      'REFUND.NOT_GATEWAY',
      'Only payments taken online are refunded here; record a cash refund as a credit',
      {
        field: 'paymentId',
      },
    );
  }
  return { gateway: a.gateway, providerRef: a.receipt };
}

async function refundedSoFar(tx: Tx, tenantId: string, paymentId: string): Promise<bigint> {
  const rows = await tx
    .select({ amountMinor: paymentRefunds.amountMinor })
    .from(paymentRefunds)
    .where(
      and(
        eq(paymentRefunds.tenantId, tenantId),
        eq(paymentRefunds.paymentId, paymentId),
        inArray(paymentRefunds.status, [...HOLDING]),
      ),
    );
  return rows.reduce((s, r) => s + r.amountMinor, 0n);
}

/** The reversing entry: the subscriber owes again what went back. Unique on the refund's id. */
async function postRefund(m: MoneyContext, r: RefundRow) {
  await appendLedger(m.tx, {
    tenantId: m.tenantId,
    subscriberId: m.subscriberId,
    kind: 'refund',
    sourceType: 'refund',
    sourceId: r.id,
    amountMinor: r.amountMinor,
    currency: r.currency,
  });
  await releaseRefunded(m.tx, m.tenantId, r);
}

/**
 * A refunded payment no longer settles what it settled: what the payment still holds is its
 * amount less every succeeded refund (this one included). Its allocations beyond that are
 * taken back, newest first (a partly kept allocation is released and allocated again for the
 * rest), and those invoices owe it again ("paid" → "partially paid" / "open"). Money the
 * payment left as credit goes back first, so a refund of credit reopens nothing.
 */
async function releaseRefunded(tx: Tx, tenantId: string, r: RefundRow) {
  if (!r.paymentId) return;
  const [p] = await tx
    .select({ amountMinor: payments.amountMinor, subscriberId: payments.subscriberId })
    .from(payments)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.id, r.paymentId)));
  if (!p) return;
  const done = await tx
    .select({ id: paymentRefunds.id, amountMinor: paymentRefunds.amountMinor })
    .from(paymentRefunds)
    .where(
      and(
        eq(paymentRefunds.tenantId, tenantId),
        eq(paymentRefunds.paymentId, r.paymentId),
        eq(paymentRefunds.status, 'succeeded'),
      ),
    );
  const refunded =
    done.reduce((s, x) => s + x.amountMinor, 0n) + (done.some((x) => x.id === r.id) ? 0n : r.amountMinor);
  const held = await tx
    .select()
    .from(allocations)
    .where(
      and(
        eq(allocations.tenantId, tenantId),
        eq(allocations.sourceType, 'payment'),
        eq(allocations.sourceId, r.paymentId!),
        isNull(allocations.releasedAt),
      ),
    )
    .orderBy(desc(allocations.createdAt), desc(allocations.id));
  let excess = held.reduce((s, a) => s + a.amountMinor, 0n) - (p.amountMinor - refunded);
  for (const a of held) {
    if (excess <= 0n) break;
    const take = a.amountMinor < excess ? a.amountMinor : excess;
    excess -= take;
    await tx.update(allocations).set({ releasedAt: new Date() }).where(eq(allocations.id, a.id));
    const [inv] = await tx
      .update(invoices)
      .set({ allocatedMinor: sql`${invoices.allocatedMinor} - ${a.amountMinor}`, updatedAt: new Date() })
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, a.invoiceId)))
      .returning();
    if (inv && inv.kind === 'invoice' && inv.status !== 'void' && inv.status !== 'draft') {
      await tx
        .update(invoices)
        .set({ status: settledStatus(inv.totalMinor, inv.allocatedMinor) })
        .where(eq(invoices.id, inv.id));
    }
    if (a.amountMinor > take) {
      await allocate(
        tx,
        { tenantId, subscriberId: p.subscriberId, sourceType: 'payment', sourceId: r.paymentId! },
        [{ invoiceId: a.invoiceId, amountMinor: a.amountMinor - take }],
      );
    }
  }
}

export const audited = (r: RefundRow) => ({
  paymentId: r.paymentId,
  attemptId: r.attemptId,
  gateway: r.gateway,
  kind: r.kind,
  amountMinor: r.amountMinor,
  currency: r.currency,
  status: r.status,
  providerRefundId: r.providerRefundId,
  reference: r.reference,
  reason: r.reason,
});

/** Asks an operator's refund: waits for a second person above the threshold, else goes ahead. */
export async function requestRefund(deps: PaymentDeps, actor: Actor, input: RefundInput): Promise<RefundRow> {
  requirePermission(actor, 'billing.write');
  const v = refundInput.parse(input);
  if (v.amountMinor <= 0n) {
    throw invalid('REFUND.AMOUNT_NOT_POSITIVE', 'A refund is more than zero', { field: 'amountMinor' });
  }
  const row = await deps.app.db.transaction(async (tx) => {
    const [p] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.tenantId, actor.tenantId), eq(payments.id, v.paymentId)));
    if (!p) throw notFound('PAYMENT.NOT_FOUND', 'No such payment');
    return withSubscriberMoney(tx, actor.tenantId, p.subscriberId, async (m) => {
      const { gateway } = await gatewayOf(tx, p);
      const left = p.amountMinor - (await refundedSoFar(tx, m.tenantId, p.id));
      if (v.amountMinor > left) {
        throw invalid('REFUND.TOO_MUCH', `At most ${left} can still go back on this payment`, {
          field: 'amountMinor',
          leftMinor: left.toString(),
        });
      }
      if (gateway === 'mpesa' && !v.reference) {
        throw invalid(
          'REFUND.REFERENCE_REQUIRED',
          'Enter the reversal transaction id from the M-Pesa portal',
          {
            field: 'reference',
          },
        );
      }
      const approval = await requestApproval(tx, { tenantId: m.tenantId, amountMinor: v.amountMinor, actor });
      const id = randomUUID();
      const mpesaDone = gateway === 'mpesa' && approval.approval === 'none';
      const [r] = await tx
        .insert(paymentRefunds)
        .values({
          id,
          tenantId: m.tenantId,
          paymentId: p.id,
          subscriberId: p.subscriberId,
          gateway,
          kind: gateway === 'mpesa' ? 'reversal' : 'refund',
          source: `kasi:${id}`,
          status:
            approval.approval === 'pending' ? 'pending_approval' : mpesaDone ? 'succeeded' : 'requested',
          amountMinor: v.amountMinor,
          currency: p.currency,
          reference: v.reference,
          reason: v.reason,
          ...(mpesaDone && { settledAt: new Date() }),
          ...approval,
        })
        .returning();
      if (!r) throw new Error('refund insert returned nothing');
      if (mpesaDone) await postRefund(m, r);
      await writeAudit(tx, {
        ...auditActor(actor),
        action: r.status === 'pending_approval' ? 'payment.refund.request' : 'payment.refund.create',
        entityType: 'payment_refund',
        entityId: r.id,
        after: audited(r),
      });
      return r;
    });
  });
  return row.status === 'requested' ? sendRefund(deps, actor, row) : row;
}

export type ProviderRefundOutcome = { ok: true; refundId: string } | { ok: false; message: string };

/**
 * The provider's refund API for `providerRef` (Stripe payment intent, PayPal capture), with
 * Kasi's refund id as the idempotency key. A typed refusal is an outcome, not a throw.
 */
export async function askProviderRefund(
  deps: PaymentDeps,
  r: RefundRow,
  providerRef: string | null,
): Promise<ProviderRefundOutcome> {
  try {
    if (!providerRef)
      throw conflict('REFUND.NO_PROVIDER_REF', 'The provider never gave this payment an id to refund');
    const tg = await openGateway(deps, deps.app.db, r.tenantId, r.gateway);
    if (!tg.gateway.refund)
      throw conflict('REFUND.NOT_SUPPORTED', `${r.gateway} refunds are not made through Kasi`);
    const done = await tg.gateway.refund({
      providerRef,
      amountMinor: r.amountMinor,
      currency: r.currency,
      idempotencyKey: `kasi-refund-${r.id}`,
    });
    return { ok: true, refundId: done.refundId };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { ok: false, message: e.message };
  }
}

/** Moves a refund on its way to its end (succeeded or failed); undefined when it no longer is. */
export async function settleRequested(tx: Tx, r: RefundRow, outcome: ProviderRefundOutcome) {
  const [moved] = await tx
    .update(paymentRefunds)
    .set(
      outcome.ok
        ? { status: 'succeeded', providerRefundId: outcome.refundId, settledAt: new Date() }
        : { status: 'failed', failureReason: outcome.message, settledAt: new Date() },
    )
    .where(
      and(
        eq(paymentRefunds.tenantId, r.tenantId),
        eq(paymentRefunds.id, r.id),
        eq(paymentRefunds.status, 'requested'),
      ),
    )
    .returning();
  if (!moved) throw conflict('REFUND.NOT_REQUESTED', 'That refund is no longer on its way');
  return moved;
}

/**
 * Asks the provider for a refund of a subscriber's payment already decided. The row is
 * 'requested' before the call, so a webhook about it that arrives first waits (the job
 * retries); Kasi's refund id is the idempotency key, so a second try is the same refund at
 * the provider.
 */
export async function sendRefund(deps: PaymentDeps, actor: Actor, r: RefundRow): Promise<RefundRow> {
  const { db } = deps.app;
  const { paymentId, subscriberId } = r;
  if (!paymentId || !subscriberId) throw new Error(`refund ${r.id} is not of a payment`);
  const [p] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, r.tenantId), eq(payments.id, paymentId)));
  if (!p) throw notFound('PAYMENT.NOT_FOUND', 'No such payment');
  const { providerRef } = await db.transaction((tx) => gatewayOf(tx, p));
  const outcome = await askProviderRefund(deps, r, providerRef);
  return db.transaction((tx) =>
    withSubscriberMoney(tx, r.tenantId, subscriberId, async (m) => {
      const moved = await settleRequested(tx, r, outcome);
      if (moved.status === 'succeeded') await postRefund(m, moved);
      await writeAudit(tx, {
        ...auditActor(actor),
        action: moved.status === 'succeeded' ? 'payment.refund.succeed' : 'payment.refund.fail',
        entityType: 'payment_refund',
        entityId: moved.id,
        after: audited(moved),
      });
      return moved;
    }),
  );
}

/**
 * A refund waiting for approval, decided — a payment's or a plan purchase's: rejected; or
 * approved, when an M-Pesa reversal (already made in Safaricom's portal) has succeeded and a
 * Stripe or PayPal refund is to be asked for (`requested`). Refused unless still pending.
 */
export async function markRefundDecided(
  tx: Tx,
  actor: Actor,
  d: { id: string; gateway: RefundRow['gateway'] | undefined; decision: Decision },
): Promise<RefundRow> {
  const status = d.decision === 'reject' ? 'rejected' : d.gateway === 'mpesa' ? 'succeeded' : 'requested';
  const [moved] = await tx
    .update(paymentRefunds)
    .set({
      approval: decidedApproval(d.decision),
      approvedBy: actor.userId,
      decidedAt: new Date(),
      status,
      ...(status === 'succeeded' && { settledAt: new Date() }),
    })
    .where(
      and(
        eq(paymentRefunds.tenantId, actor.tenantId),
        eq(paymentRefunds.id, d.id),
        eq(paymentRefunds.status, 'pending_approval'),
      ),
    )
    .returning();
  if (!moved) throw conflict('REFUND.NOT_PENDING', 'That refund is not waiting for approval');
  return moved;
}

/** A second operator approves (then the refund is sent or, for M-Pesa, recorded) or rejects. */
export async function decideRefund(
  deps: PaymentDeps,
  actor: Actor,
  input: { id: string; decision: Decision },
): Promise<RefundRow> {
  const v = refundDecisionInput.parse(input);
  let gateway: RefundRow['gateway'] | undefined;
  const decided = await decidePending(deps.app, actor, {
    decision: v.decision,
    action: 'payment.refund',
    entityType: 'payment_refund',
    id: v.id,
    async find(tx) {
      const [head] = await tx
        .select()
        .from(paymentRefunds)
        .where(and(eq(paymentRefunds.tenantId, actor.tenantId), eq(paymentRefunds.id, v.id)));
      // A plan purchase's refund has no subscriber: decided by decidePlanRefund.
      if (!head?.subscriberId) throw notFound('REFUND.NOT_FOUND', 'No such refund');
      gateway = head.gateway;
      return { ...head, subscriberId: head.subscriberId };
    },
    async decide(m) {
      const moved = await markRefundDecided(m.tx, actor, { id: v.id, gateway, decision: v.decision });
      if (moved.status === 'succeeded') await postRefund(m, moved);
      return moved;
    },
    cause: () => null,
    audited,
  });
  return decided.status === 'requested' ? sendRefund(deps, actor, decided) : decided;
}

export async function listRefunds(
  deps: PaymentDeps,
  actor: Actor,
  input: { paymentId?: string | undefined },
) {
  requirePermission(actor, 'billing.read');
  const v = refundListInput.parse(input);
  const where = [eq(paymentRefunds.tenantId, actor.tenantId)];
  if (v.paymentId) where.push(eq(paymentRefunds.paymentId, v.paymentId));
  return deps.app.db
    .select()
    .from(paymentRefunds)
    .where(and(...where))
    .orderBy(desc(paymentRefunds.createdAt))
    .limit(500);
}

/**
 * A refund or dispute the provider reports (Stripe `charge.refunded` with the charge's running
 * total, `charge.dispute.created`; PayPal `PAYMENT.CAPTURE.REFUNDED`), including refunds made
 * in the provider's dashboard. Keyed on the provider's own ids: a replay, or the webhook of a
 * refund Kasi itself sent, posts nothing; a Kasi refund still on its way makes the job retry.
 */
export async function applyProviderRefund(
  deps: PaymentDeps,
  tenantId: string,
  gateway: GatewayKind,
  e: PaymentEvent,
): Promise<'refunded' | 'duplicate' | 'unmatched'> {
  const { db } = deps.app;
  if (!e.providerRef || e.amountMinor === null || !e.receipt) return 'unmatched';
  const [a] = await db
    .select({ paymentId: paymentAttempts.paymentId })
    .from(paymentAttempts)
    .where(
      and(
        eq(paymentAttempts.tenantId, tenantId),
        eq(paymentAttempts.gateway, gateway),
        eq(paymentAttempts.receipt, e.providerRef),
      ),
    );
  if (!a?.paymentId) return 'unmatched';
  const paymentId = a.paymentId;
  const [p] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.id, paymentId)));
  if (!p) return 'unmatched';
  const actor = gatewayActor(tenantId, gateway);
  return db.transaction((tx) =>
    withSubscriberMoney(tx, tenantId, p.subscriberId, async (m) => {
      const mine = await tx
        .select()
        .from(paymentRefunds)
        .where(and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.paymentId, p.id)));
      let amount = e.amountMinor!;
      let source: string;
      let kind: 'refund' | 'dispute' = 'refund';
      if (e.type === 'disputed') {
        kind = 'dispute';
        source = `${gateway}:dispute:${e.receipt}`;
      } else if (gateway === 'stripe') {
        // charge.refunded carries the running total refunded on the charge.
        if (mine.some((r) => r.status === 'requested' && r.kind === 'refund')) {
          throw transientFailure('A refund Kasi sent is still on its way');
        }
        const known = mine
          .filter((r) => r.kind === 'refund' && r.status === 'succeeded')
          .reduce((s, r) => s + r.amountMinor, 0n);
        amount = e.amountMinor! - known;
        if (amount <= 0n) return 'duplicate' as const;
        source = `stripe:${e.receipt}:refunded:${e.amountMinor}`;
      } else {
        if (mine.some((r) => r.providerRefundId === e.receipt)) return 'duplicate' as const;
        if (mine.some((r) => r.status === 'requested' && r.kind === 'refund')) {
          throw transientFailure('A refund Kasi sent is still on its way');
        }
        source = `${gateway}:refund:${e.receipt}`;
      }
      const [r] = await tx
        .insert(paymentRefunds)
        .values({
          tenantId,
          paymentId: p.id,
          subscriberId: p.subscriberId,
          gateway,
          kind,
          source,
          status: 'succeeded',
          amountMinor: amount,
          currency: p.currency,
          providerRefundId: gateway === 'stripe' && kind === 'refund' ? null : e.receipt,
          reason:
            kind === 'dispute'
              ? `Disputed at ${gateway}: ${e.reason ?? 'no reason given'}`
              : `Refunded at ${gateway}`,
          settledAt: new Date(),
        })
        .onConflictDoNothing()
        .returning();
      if (!r) return 'duplicate' as const;
      await postRefund(m, r);
      await writeAudit(tx, {
        ...auditActor(actor),
        action: kind === 'dispute' ? 'payment.dispute.record' : 'payment.refund.record',
        entityType: 'payment_refund',
        entityId: r.id,
        after: audited(r),
      });
      return 'refunded' as const;
    }),
  );
}
