// The one way money changes for a subscriber: inside a transaction that holds the
// subscriber's billing account row, so payments, credit notes and finalisations for one
// subscriber run one at a time (other subscribers are not held up). After the change, open
// invoices and unused credit are matched again, and a balance that went from owing to
// settled fires `onBalanceCleared` — the hook restore builds on (ARCHITECTURE decision 9).
import { and, eq } from 'drizzle-orm';
import { billingAccounts, subscribers, tenants, type Transaction } from '@kasi/db';
import { notFound } from '@kasi/domain';
import { balanceOf } from './ledger.ts';
import { settleAccount } from './settle.ts';
import { onBalanceCleared } from './billing-events.ts';

export type Tx = Transaction;

export interface MoneyContext {
  tx: Tx;
  tenantId: string;
  subscriberId: string;
  currency: string;
}

async function lockAccount(tx: Tx, tenantId: string, subscriberId: string): Promise<string> {
  const [sub] = await tx
    .select({ currency: tenants.currency })
    .from(subscribers)
    .innerJoin(tenants, eq(tenants.id, subscribers.tenantId))
    .where(and(eq(subscribers.tenantId, tenantId), eq(subscribers.id, subscriberId)));
  if (!sub) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
  await tx
    .insert(billingAccounts)
    .values({ tenantId, subscriberId, currency: sub.currency })
    .onConflictDoNothing();
  const [acct] = await tx
    .select({ currency: billingAccounts.currency })
    .from(billingAccounts)
    .where(and(eq(billingAccounts.tenantId, tenantId), eq(billingAccounts.subscriberId, subscriberId)))
    .for('update');
  if (!acct) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
  return acct.currency;
}

/** Runs `change` holding the subscriber's account, then settles and fires the cleared hook. */
export async function withSubscriberMoney<T>(
  tx: Tx,
  tenantId: string,
  subscriberId: string,
  change: (m: MoneyContext) => Promise<T>,
  cause?: (result: T) => string | null,
): Promise<T> {
  const currency = await lockAccount(tx, tenantId, subscriberId);
  const before = await balanceOf(tx, tenantId, subscriberId);
  const result = await change({ tx, tenantId, subscriberId, currency });
  await settleAccount(tx, tenantId, subscriberId);
  const after = await balanceOf(tx, tenantId, subscriberId);
  const sourceId = cause?.(result) ?? null;
  if (before > 0n && after <= 0n && sourceId) {
    await onBalanceCleared(tx, { tenantId, subscriberId, sourceId });
  }
  return result;
}
