// Where other work hooks onto billing facts. Each writes an event row in the transaction
// that caused it (unique per fact, so a replay writes nothing twice). The pg-boss move will
// enqueue here, in the same transaction: "restore" on a cleared balance (issue 12 item 7),
// "receipt" (SMS) on a recorded payment. Nothing is enqueued yet.
import { billingEvents } from '@kasi/db';
import type { Tx } from './billing-tx.ts';

export interface BillingFact {
  tenantId: string;
  subscriberId: string;
  /** The ledger source that caused it (payment, credit note, write-off id). */
  sourceId: string;
}

/** The subscriber owed money and now owes nothing: restore service (enqueue "restore" here). */
export async function onBalanceCleared(tx: Tx, fact: BillingFact): Promise<void> {
  await tx
    .insert(billingEvents)
    .values({ ...fact, kind: 'balance_cleared' })
    .onConflictDoNothing();
}

/** A payment was recorded: send its receipt (enqueue "receipt" here). */
export async function onPaymentRecorded(tx: Tx, fact: BillingFact): Promise<void> {
  await tx
    .insert(billingEvents)
    .values({ ...fact, kind: 'payment_recorded' })
    .onConflictDoNothing();
}
