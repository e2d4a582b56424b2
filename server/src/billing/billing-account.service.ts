// One subscriber's money at a glance, for the subscriber page: balance (from the one view),
// unused credit, current period, invoices and payments.
import { and, eq } from 'drizzle-orm';
import { billingAccounts, subscribers, tenants } from '@kasi/db';
import { notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { listInvoices } from './invoice.service.ts';
import { balanceOf } from './ledger.ts';
import { listPayments } from './payment.service.ts';
import { unusedCredit } from './settle.ts';

export interface LastDisconnect {
  action: 'suspend' | 'restore';
  at: string;
  results: { sessionId: string; status: string }[];
}

export async function getBillingAccount(app: AppContext, actor: Actor, subscriberId: string) {
  requirePermission(actor, 'billing.read');
  const [sub] = await app.db
    .select({ id: subscribers.id, currency: tenants.currency })
    .from(subscribers)
    .innerJoin(tenants, eq(tenants.id, subscribers.tenantId))
    .where(and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.id, subscriberId)));
  if (!sub) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
  const [acct] = await app.db
    .select()
    .from(billingAccounts)
    .where(and(eq(billingAccounts.tenantId, actor.tenantId), eq(billingAccounts.subscriberId, subscriberId)));
  const credit = await unusedCredit(app.db, actor.tenantId, subscriberId);
  return {
    subscriberId,
    currency: acct?.currency ?? sub.currency,
    balanceMinor: await balanceOf(app.db, actor.tenantId, subscriberId),
    creditMinor: credit.reduce((s, c) => s + c.remainingMinor, 0n),
    periodStart: acct?.periodStart ?? null,
    periodEnd: acct?.periodEnd ?? null,
    nextPlanId: acct?.nextPlanId ?? null,
    neverSuspend: acct?.neverSuspend ?? false,
    promiseToPayUntil: acct?.promiseToPayUntil ?? null,
    /** Suspended by dunning (a payment restores it); null when not, or by an operator. */
    dunningSuspendedAt: acct?.dunningSuspendedAt ?? null,
    /** The Disconnect billing last sent for a suspension or restore (ack / nak / timeout per session). */
    lastDisconnect: (acct?.lastDisconnect as LastDisconnect | null | undefined) ?? null,
    invoices: await listInvoices(app, actor, { subscriberId, limit: 100 }),
    payments: await listPayments(app, actor, { subscriberId }),
  };
}
