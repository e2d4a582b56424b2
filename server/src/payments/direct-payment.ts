// M-Pesa C2B (Paybill) payments the customer made on their own, keyed by TransID: the
// account they typed (BillRefNumber) names a subscriber's username or an invoice number;
// anything else waits in suspense (the inbox row, outcome `suspense`) for the operator.
import { and, eq, sql } from 'drizzle-orm';
import { invoices, subscribers, type GatewayKind, type InboxOutcome } from '@kasi/db';
import type { PaymentEvent } from '@kasi/payments';
import { recordPayment } from '../billing/payment.service.ts';
import { gatewayActor } from './attempt-settle.ts';
import type { PaymentDeps } from './payment-deps.ts';

async function matchAccount(deps: PaymentDeps, tenantId: string, account: string) {
  const { db } = deps.app;
  const [inv] = await db
    .select({ subscriberId: invoices.subscriberId, invoiceId: invoices.id, status: invoices.status })
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), sql`upper(${invoices.displayNumber}) = upper(${account})`));
  if (inv) {
    const open = inv.status === 'open' || inv.status === 'partially_paid';
    return { subscriberId: inv.subscriberId, invoiceId: open ? inv.invoiceId : null };
  }
  const [sub] = await db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(and(eq(subscribers.tenantId, tenantId), sql`lower(${subscribers.username}) = lower(${account})`));
  return sub ? { subscriberId: sub.id, invoiceId: null } : null;
}

export async function applyDirectPayment(
  deps: PaymentDeps,
  tenantId: string,
  gateway: GatewayKind,
  e: PaymentEvent,
): Promise<InboxOutcome> {
  const match = e.accountReference ? await matchAccount(deps, tenantId, e.accountReference) : null;
  if (!match || !e.amountMinor || e.amountMinor <= 0n) return 'suspense';
  const recorded = await recordPayment(deps.app, gatewayActor(tenantId, gateway), {
    subscriberId: match.subscriberId,
    amountMinor: e.amountMinor,
    currency: e.currency ?? 'KES',
    method: 'mpesa',
    invoiceId: match.invoiceId,
    reference: e.receipt,
    sourceId: `mpesa:${e.providerRef}`,
  });
  return recorded.created ? 'applied' : 'duplicate';
}
