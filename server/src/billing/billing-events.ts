// Where other work hooks onto billing facts. Each writes an event row in the transaction
// that caused it (unique per fact, so a replay writes nothing twice) and enqueues its job in
// that same transaction: "restore" when the debt of an account dunning suspended is paid
// (ARCHITECTURE decision 9, ADR 0016). The receipt SMS on a recorded payment comes with the
// SMS templates.
import { and, eq } from 'drizzle-orm';
import { billingAccounts, billingEvents } from '@kasi/db';
import { INVOICE_SMS_PER_JOB, invoiceIssuedSmsJob, restoreJob } from './billing-job-kinds.ts';
import { currentBillingJobs } from './billing-jobs-scope.ts';
import type { Tx } from './billing-tx.ts';

export interface BillingFact {
  tenantId: string;
  subscriberId: string;
  /** The ledger source that caused it (payment, credit note, write-off id). */
  sourceId: string;
}

/**
 * Only an account dunning suspended is restored. One restore per fact: the webhook and a
 * retry of it enqueue it once; a cron's restore and this one change the account once
 * (FOSSBilling #3106).
 */
async function enqueueRestore(tx: Tx, fact: BillingFact): Promise<void> {
  const jobs = currentBillingJobs();
  if (!jobs) return;
  const [acct] = await tx
    .select({ since: billingAccounts.dunningSuspendedAt })
    .from(billingAccounts)
    .where(
      and(eq(billingAccounts.tenantId, fact.tenantId), eq(billingAccounts.subscriberId, fact.subscriberId)),
    );
  if (!acct?.since) return;
  await jobs.enqueue(tx, { kind: restoreJob, data: fact, dedupeKey: `restore:${fact.sourceId}` });
}

/** The subscriber owed money and now owes nothing: restore service. */
export async function onBalanceCleared(tx: Tx, fact: BillingFact): Promise<void> {
  await tx
    .insert(billingEvents)
    .values({ ...fact, kind: 'balance_cleared' })
    .onConflictDoNothing();
  await enqueueRestore(tx, fact);
}

/**
 * A payment was recorded. For an account dunning suspended it may pay the overdue invoices
 * while newer ones stay open (the balance is not cleared): the restore job decides.
 */
export async function onPaymentRecorded(tx: Tx, fact: BillingFact): Promise<void> {
  await tx
    .insert(billingEvents)
    .values({ ...fact, kind: 'payment_recorded' })
    .onConflictDoNothing();
  await enqueueRestore(tx, fact);
}

/**
 * The billing run issued invoices: a job per thousand texts each subscriber the amount, due
 * date and a pay link (`textInvoiceIssued`, keyed per invoice). By hand, the text is queued in
 * the finalising transaction.
 */
export async function onInvoicesIssued(
  tx: Tx,
  tenantId: string,
  invoiceIds: readonly string[],
): Promise<void> {
  const jobs = currentBillingJobs();
  if (!jobs || invoiceIds.length === 0) return;
  const chunks: string[][] = [];
  for (let i = 0; i < invoiceIds.length; i += INVOICE_SMS_PER_JOB)
    chunks.push(invoiceIds.slice(i, i + INVOICE_SMS_PER_JOB));
  // Keyed by the chunk's first invoice: an invoice is issued once, so is its chunk.
  await jobs.enqueueMany(
    tx,
    invoiceIssuedSmsJob,
    chunks.map((ids) => ({ data: { tenantId, invoiceIds: ids }, dedupeKey: ids[0]! })),
  );
}
