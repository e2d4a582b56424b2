// Refunds of "buy plan" purchases (issue 13, ADR 0021). A hotspot customer paid for a code
// online; the operator gives the money back. The purchase has no payment row and no
// subscriber (so no ledger entry was posted and none is reversed): the refund row names the
// attempt. It is the whole charge, and it takes back what was bought — the code is voided in the
// transaction that records the refund as succeeded (RADIUS refuses a void code at its next
// login), and once that commits any session still open on the code gets a Disconnect-Request.
// Otherwise as for payments: above the tenant's threshold a second person approves; Stripe and
// PayPal are asked through their APIs (Kasi's refund id as idempotency key); an M-Pesa reversal
// done in Safaricom's portal is recorded with its transaction id; every step is audited.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { paymentAttempts, paymentRefunds, vouchers, writeAudit, type GatewayKind } from '@kasi/db';
import {
  conflict,
  invalid,
  notFound,
  planRefundInput,
  refundDecisionInput,
  type PlanRefundInput,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import type { Decision } from '../billing/approval-decision.ts';
import type { Tx } from '../billing/billing-tx.ts';
import { requestApproval, requireSecondPerson } from '../billing/second-person.ts';
import { disconnectUsers } from '../sessions/session.service.ts';
import type { PaymentEvent } from '@kasi/payments';
import { transientFailure } from '../jobs/job-failure.ts';
import { gatewayActor } from './attempt-settle.ts';
import type { PaymentDeps } from './payment-deps.ts';
import {
  askProviderRefund,
  audited,
  decideRefund,
  markRefundDecided,
  settleRequested,
  type RefundRow,
} from './refund.service.ts';

const LIVE = ['pending_approval', 'requested', 'succeeded'] as const;

/** The code the purchase bought, voided and audited in `tx`; null if it bought none. */
async function voidBoughtCode(tx: Tx, actor: Actor, r: RefundRow) {
  if (!r.attemptId) return null;
  const [a] = await tx
    .select({ voucherId: paymentAttempts.voucherId })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.tenantId, r.tenantId), eq(paymentAttempts.id, r.attemptId)));
  if (!a?.voucherId) return null;
  const [v] = await tx
    .update(vouchers)
    .set({ status: 'void' })
    .where(and(eq(vouchers.tenantId, r.tenantId), eq(vouchers.id, a.voucherId)))
    .returning({ id: vouchers.id, code: vouchers.code });
  if (!v) return null;
  await writeAudit(tx, {
    ...auditActor(actor),
    action: 'voucher.void',
    entityType: 'voucher',
    entityId: v.id,
    after: { ids: [v.id], reason: 'refunded', refundId: r.id, attemptId: r.attemptId },
  });
  return v;
}

/** After commit: a session still open on the voided code is ended (best effort, logged). */
async function disconnectCode(app: AppContext, actor: Actor, code: { code: string } | null) {
  if (!code) return;
  try {
    const results = await disconnectUsers(app, actor, [code.code]);
    for (const x of results.filter((d) => d.result.status !== 'ack')) {
      app.log.warn(
        { sessionId: String(x.sessionId), result: x.result.status },
        'refunded code not disconnected',
      );
    }
  } catch (e) {
    app.log.warn({ err: e }, 'disconnect of a refunded code failed');
  }
}

/** An operator gives a plan purchase back: waits for a second person above the threshold. */
export async function requestPlanRefund(
  deps: PaymentDeps,
  actor: Actor,
  input: PlanRefundInput,
): Promise<RefundRow> {
  requirePermission(actor, 'billing.write');
  const v = planRefundInput.parse(input);
  const { row, voided } = await deps.app.db.transaction(async (tx) => {
    const [a] = await tx
      .select()
      .from(paymentAttempts)
      .where(and(eq(paymentAttempts.tenantId, actor.tenantId), eq(paymentAttempts.id, v.attemptId)))
      .for('update');
    if (!a?.planId) throw notFound('REFUND.NO_PURCHASE', 'No such plan purchase');
    if (a.status !== 'succeeded' || !a.voucherId) {
      throw conflict('REFUND.NOT_PAID', 'This purchase was never paid: there is nothing to give back');
    }
    const [live] = await tx
      .select({ id: paymentRefunds.id })
      .from(paymentRefunds)
      .where(
        and(
          eq(paymentRefunds.tenantId, actor.tenantId),
          eq(paymentRefunds.attemptId, a.id),
          inArray(paymentRefunds.status, [...LIVE]),
        ),
      );
    if (live) throw conflict('REFUND.ALREADY', 'This purchase is already refunded or waiting for approval');
    if (a.gateway === 'mpesa' && !v.reference) {
      throw invalid('REFUND.REFERENCE_REQUIRED', 'Enter the reversal transaction id from the M-Pesa portal', {
        field: 'reference',
      });
    }
    const approval = await requestApproval(tx, { tenantId: a.tenantId, amountMinor: a.chargedMinor, actor });
    const id = randomUUID();
    const mpesaDone = a.gateway === 'mpesa' && approval.approval === 'none';
    const [r] = await tx
      .insert(paymentRefunds)
      .values({
        id,
        tenantId: a.tenantId,
        attemptId: a.id,
        gateway: a.gateway,
        kind: a.gateway === 'mpesa' ? 'reversal' : 'refund',
        source: `kasi:${id}`,
        status: approval.approval === 'pending' ? 'pending_approval' : mpesaDone ? 'succeeded' : 'requested',
        amountMinor: a.chargedMinor,
        currency: a.currency,
        reference: v.reference,
        reason: v.reason,
        ...(mpesaDone && { settledAt: new Date() }),
        ...approval,
      })
      .returning();
    const code = mpesaDone ? await voidBoughtCode(tx, actor, r!) : null;
    await writeAudit(tx, {
      ...auditActor(actor),
      action: r!.status === 'pending_approval' ? 'payment.refund.request' : 'payment.refund.create',
      entityType: 'payment_refund',
      entityId: r!.id,
      after: audited(r!),
    });
    return { row: r!, voided: code };
  });
  await disconnectCode(deps.app, actor, voided);
  return row.status === 'requested' ? sendPlanRefund(deps, actor, row) : row;
}

/** The provider is asked; on success the code is voided with the refund, then disconnected. */
async function sendPlanRefund(deps: PaymentDeps, actor: Actor, r: RefundRow): Promise<RefundRow> {
  const { db } = deps.app;
  const [a] = await db
    .select({ receipt: paymentAttempts.receipt })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.tenantId, r.tenantId), eq(paymentAttempts.id, r.attemptId!)));
  const outcome = await askProviderRefund(deps, r, a?.receipt ?? null);
  const { moved, voided } = await db.transaction(async (tx) => {
    const m = await settleRequested(tx, r, outcome);
    const code = m.status === 'succeeded' ? await voidBoughtCode(tx, actor, m) : null;
    await writeAudit(tx, {
      ...auditActor(actor),
      action: m.status === 'succeeded' ? 'payment.refund.succeed' : 'payment.refund.fail',
      entityType: 'payment_refund',
      entityId: m.id,
      after: audited(m),
    });
    return { moved: m, voided: code };
  });
  await disconnectCode(deps.app, actor, voided);
  return moved;
}

/** A second operator approves (then it is sent or, for M-Pesa, recorded) or rejects. */
export async function decidePlanRefund(
  deps: PaymentDeps,
  actor: Actor,
  input: { id: string; decision: Decision },
): Promise<RefundRow> {
  const v = refundDecisionInput.parse(input);
  const { moved, voided } = await deps.app.db.transaction(async (tx) => {
    const [head] = await tx
      .select()
      .from(paymentRefunds)
      .where(and(eq(paymentRefunds.tenantId, actor.tenantId), eq(paymentRefunds.id, v.id)))
      .for('update');
    if (!head?.attemptId) throw notFound('REFUND.NOT_FOUND', 'No such refund');
    requireSecondPerson(actor, head.requestedBy);
    const m = await markRefundDecided(tx, actor, {
      id: head.id,
      gateway: head.gateway,
      decision: v.decision,
    });
    const code = m.status === 'succeeded' ? await voidBoughtCode(tx, actor, m) : null;
    await writeAudit(tx, {
      ...auditActor(actor),
      action: `payment.refund.${v.decision}`,
      entityType: 'payment_refund',
      entityId: m.id,
      after: audited(m),
    });
    return { moved: m, voided: code };
  });
  await disconnectCode(deps.app, actor, voided);
  return moved.status === 'requested' ? sendPlanRefund(deps, actor, moved) : moved;
}

/** The console's decision on any refund: a plan purchase's, or a subscriber payment's. */
export async function decideAnyRefund(
  deps: PaymentDeps,
  actor: Actor,
  input: { id: string; decision: Decision },
): Promise<RefundRow> {
  requirePermission(actor, 'change.approve');
  const v = refundDecisionInput.parse(input);
  const [row] = await deps.app.db
    .select({ attemptId: paymentRefunds.attemptId })
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.tenantId, actor.tenantId), eq(paymentRefunds.id, v.id)));
  return row?.attemptId ? decidePlanRefund(deps, actor, v) : decideRefund(deps, actor, v);
}

/**
 * A refund of a plan purchase the provider reports (Stripe `charge.refunded`, PayPal
 * `PAYMENT.CAPTURE.REFUNDED`) — one made in its dashboard, or the echo of Kasi's own. Null when
 * the event is not about a plan purchase (then it is a payment's: `applyProviderRefund`). Once
 * per attempt: Kasi's own refund, or an earlier event, makes it a duplicate; a Kasi refund
 * still on its way makes the job retry; one still waiting for approval is overtaken (the money
 * already went back). Recorded, the code is voided as for a console refund.
 */
export async function applyProviderPlanRefund(
  deps: PaymentDeps,
  tenantId: string,
  gateway: GatewayKind,
  e: PaymentEvent,
): Promise<'refunded' | 'duplicate' | null> {
  if (e.type !== 'refunded' || !e.providerRef || e.amountMinor === null || !e.receipt) return null;
  const { db } = deps.app;
  const [a] = await db
    .select()
    .from(paymentAttempts)
    .where(
      and(
        eq(paymentAttempts.tenantId, tenantId),
        eq(paymentAttempts.gateway, gateway),
        eq(paymentAttempts.receipt, e.providerRef),
        isNotNull(paymentAttempts.planId),
      ),
    );
  if (!a) return null;
  const actor = gatewayActor(tenantId, gateway);
  const { out, voided } = await db.transaction(async (tx) => {
    await tx
      .select({ id: paymentAttempts.id })
      .from(paymentAttempts)
      .where(eq(paymentAttempts.id, a.id))
      .for('update');
    const mine = await tx
      .select()
      .from(paymentRefunds)
      .where(and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.attemptId, a.id)));
    if (mine.some((r) => r.status === 'requested'))
      throw transientFailure('A refund Kasi sent is still on its way');
    if (mine.some((r) => r.status === 'succeeded')) return { out: 'duplicate' as const, voided: null };
    await tx
      .update(paymentRefunds)
      .set({
        status: 'failed',
        failureReason: 'Refunded at the provider before approval',
        settledAt: new Date(),
      })
      .where(and(eq(paymentRefunds.attemptId, a.id), eq(paymentRefunds.status, 'pending_approval')));
    const [r] = await tx
      .insert(paymentRefunds)
      .values({
        tenantId,
        attemptId: a.id,
        gateway,
        kind: 'refund',
        source:
          gateway === 'stripe'
            ? `stripe:${e.receipt}:refunded:${e.amountMinor}`
            : `${gateway}:refund:${e.receipt}`,
        status: 'succeeded',
        amountMinor: e.amountMinor!,
        currency: a.currency,
        providerRefundId: gateway === 'stripe' ? null : e.receipt,
        reason: `Refunded at ${gateway}`,
        settledAt: new Date(),
      })
      .onConflictDoNothing()
      .returning();
    if (!r) return { out: 'duplicate' as const, voided: null };
    const code = await voidBoughtCode(tx, actor, r);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'payment.refund.record',
      entityType: 'payment_refund',
      entityId: r.id,
      after: audited(r),
    });
    return { out: 'refunded' as const, voided: code };
  });
  await disconnectCode(deps.app, actor, voided);
  return out;
}
