// "A payment for this subscriber is pending confirmation" — one owner for the rule dunning
// checks before suspending anyone. Payment gateways feed it: a row in `pending_payments`
// when an attempt starts (an STK push sent, a checkout opened), deleted when the attempt is
// confirmed or fails; a row past `expires_at` no longer counts (a lost callback).
import { sql, type SQL } from 'drizzle-orm';
import { pendingPayments, type Executor } from '@kasi/db';
import { ts } from './billing-calendar.ts';

/** SQL: the subscriber in `subscriberId` (a column or value) has a pending payment at `at`. */
export const pendingPaymentHold = (subscriberId: SQL, at: Date): SQL =>
  sql`exists (select 1 from pending_payments pp where pp.subscriber_id = ${subscriberId} and pp.expires_at > ${ts(at)})`;

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
