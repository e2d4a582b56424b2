// The one place an attempt reaches its end. Success records the payment through billing's
// own recordPayment — amount and target from the attempt row, source `attempt:<id>` so a
// replay, a second event or the reconciliation query adds nothing — and then moves the
// attempt forward. Statuses only move forward: created → pending → failed → succeeded
// (money M-Pesa confirms after a timeout still counts); a succeeded attempt never changes.
import { and, eq, ne, sql } from 'drizzle-orm';
import { invoices, paymentAttempts, pendingPayments, type GatewayKind } from '@kasi/db';
import type { Actor } from '../app-context.ts';
import { recordPayment } from '../billing/payment.service.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { settlePlanAttempt } from './plan-purchase.ts';
import { queueDeviceLogin } from '../hotspot/hotspot-login.job.ts';
import { queueBoughtCodeSms } from '../sms/bought-code-sms.ts';

export type AttemptRow = typeof paymentAttempts.$inferSelect;

export interface AttemptResult {
  state: 'succeeded' | 'failed';
  resultCode: string | null;
  reason: string | null;
  receipt: string | null;
}

const LABEL: Record<GatewayKind, string> = { mpesa: 'M-Pesa', stripe: 'Stripe', paypal: 'PayPal' };

/** Who records a gateway payment: the gateway itself, acting for the tenant (no user). */
export const gatewayActor = (tenantId: string, gateway: GatewayKind): Actor => ({
  tenantId,
  userId: null,
  label: `${LABEL[gateway]} (payment gateway)`,
  role: 'operator',
  requestId: null,
});

/** The invoice to settle first, if it can still take a payment; otherwise oldest first / credit. */
async function openInvoice(deps: PaymentDeps, a: AttemptRow): Promise<string | null> {
  if (!a.invoiceId) return null;
  const [inv] = await deps.app.db
    .select({ status: invoices.status })
    .from(invoices)
    .where(and(eq(invoices.tenantId, a.tenantId), eq(invoices.id, a.invoiceId)));
  return inv && (inv.status === 'open' || inv.status === 'partially_paid') ? a.invoiceId : null;
}

export async function settleAttempt(
  deps: PaymentDeps,
  a: AttemptRow,
  r: AttemptResult,
): Promise<'applied' | 'duplicate' | 'failed_attempt'> {
  const { db } = deps.app;
  if (a.status === 'succeeded') return 'duplicate';
  // "Buy plan X": no subscriber, no ledger; the payment is a voucher code sold online.
  // With the code issued, the buyer's device is logged in on the hotspot (ADR 0024) and a
  // buyer who asked by SMS is texted the code, in the same transaction.
  if (a.planId)
    return settlePlanAttempt(db, a, r, async (tx, cur) => {
      await queueDeviceLogin(deps.app, tx, cur);
      await queueBoughtCodeSms(deps.app, tx, cur);
    });
  if (!a.subscriberId) throw new Error(`attempt ${a.id} has neither subscriber nor plan`);
  if (r.state === 'failed') {
    await db.transaction(async (tx) => {
      await tx
        .update(paymentAttempts)
        .set({
          status: 'failed',
          resultCode: r.resultCode,
          reason: r.reason,
          settledAt: new Date(),
          updatedAt: new Date(),
        })
        .where(and(eq(paymentAttempts.id, a.id), sql`${paymentAttempts.status} in ('created', 'pending')`));
      await release(tx, a);
    });
    return 'failed_attempt';
  }
  const recorded = await recordPayment(deps.app, gatewayActor(a.tenantId, a.gateway), {
    subscriberId: a.subscriberId,
    amountMinor: a.chargedMinor,
    currency: a.currency,
    method: a.gateway === 'stripe' ? 'card' : a.gateway,
    invoiceId: await openInvoice(deps, a),
    reference: r.receipt ?? a.providerRef,
    sourceId: `attempt:${a.id}`,
  });
  await db.transaction(async (tx) => {
    await tx
      .update(paymentAttempts)
      .set({
        status: 'succeeded',
        paymentId: recorded.payment.id,
        resultCode: r.resultCode,
        reason: null,
        receipt: r.receipt ?? a.receipt,
        settledAt: new Date(),
        updatedAt: new Date(),
      })
      .where(and(eq(paymentAttempts.id, a.id), ne(paymentAttempts.status, 'succeeded')));
    await release(tx, a);
  });
  return recorded.created ? 'applied' : 'duplicate';
}

async function release(
  tx: Parameters<Parameters<PaymentDeps['app']['db']['transaction']>[0]>[0],
  a: AttemptRow,
) {
  await tx
    .delete(pendingPayments)
    .where(and(eq(pendingPayments.tenantId, a.tenantId), eq(pendingPayments.source, `attempt:${a.id}`)));
}
