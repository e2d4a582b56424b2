// "A payment for this subscriber is pending confirmation" — one owner for the rule dunning
// checks before suspending anyone. Fed by the gateways' `payment_attempts` in state `pending`
// (a push sent, no verdict yet; for a day at most), and by `pending_payments` rows for any
// other channel that knows a payment is on its way (a cheque in the post): a row there counts
// until it is released or its `expires_at` passes (a lost callback cannot shield an account).
import { sql, type SQL } from 'drizzle-orm';
import { pendingPayments, type Executor } from '@kasi/db';
import { ts } from './billing-calendar.ts';

/** How long a gateway attempt waiting for its confirmation (an M-Pesa push sent) holds dunning off. */
export const PENDING_ATTEMPT_HOURS = 24;

/**
 * SQL: the subscriber in `subscriberId` (a column or value) has a payment pending at `at` —
 * a hold row, or a gateway attempt in `pending` (sent to the provider, not yet confirmed).
 */
export const pendingPaymentHold = (subscriberId: SQL, at: Date): SQL => sql`(
  exists (select 1 from pending_payments pp where pp.subscriber_id = ${subscriberId} and pp.expires_at > ${ts(at)})
  or exists (select 1 from payment_attempts pa where pa.subscriber_id = ${subscriberId} and pa.status = 'pending'
    and pa.created_at > ${ts(at)} - make_interval(hours => ${PENDING_ATTEMPT_HOURS}) and pa.created_at <= ${ts(at)}))`;

export async function hasPendingPayment(
  db: Executor,
  subscriberId: string,
  at = new Date(),
): Promise<boolean> {
  const [row] = await db.execute<{ held: boolean }>(
    sql`select ${pendingPaymentHold(sql`${subscriberId}::uuid`, at)} as held`,
  );
  return row?.held === true;
}

/** Records a payment attempt waiting for confirmation (idempotent per source). */
export async function holdForPendingPayment(
  db: Executor,
  p: { tenantId: string; subscriberId: string; source: string; expiresAt: Date },
): Promise<void> {
  await db.insert(pendingPayments).values(p).onConflictDoNothing();
}

/** The attempt was confirmed or failed: it no longer holds dunning off. */
export async function releasePendingPayment(db: Executor, tenantId: string, source: string): Promise<void> {
  await db.execute(sql`delete from pending_payments where tenant_id = ${tenantId} and source = ${source}`);
}
