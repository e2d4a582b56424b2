// The per-subscriber ledger: append-only entries, each unique on (source_type, source_id,
// leg), so writing the same fact twice adds nothing. The balance is the sum of entries and
// has one owner, the `subscriber_balances` view (migration 0015).
import { and, eq, sql } from 'drizzle-orm';
import { ledgerEntries, type Executor, type LedgerKind } from '@kasi/db';

export interface LedgerEntry {
  tenantId: string;
  subscriberId: string;
  kind: LedgerKind;
  /** The table the fact lives in (`invoice`, `payment`, `credit_note`, `write_off`). */
  sourceType: string;
  sourceId: string;
  leg?: string;
  /** Positive: the subscriber owes more. Negative: paid or credited. */
  amountMinor: bigint;
  currency: string;
}

/** Appends an entry; false when that source already has one (a replay). */
export async function appendLedger(tx: Executor, entry: LedgerEntry): Promise<boolean> {
  const rows = await tx
    .insert(ledgerEntries)
    .values({ ...entry, leg: entry.leg ?? 'main' })
    .onConflictDoNothing({ target: [ledgerEntries.sourceType, ledgerEntries.sourceId, ledgerEntries.leg] })
    .returning({ id: ledgerEntries.id });
  return rows.length > 0;
}

/** What the subscriber owes (negative: credit), from the one balance view. */
export async function balanceOf(db: Executor, tenantId: string, subscriberId: string): Promise<bigint> {
  const rows = await db.execute<{ balance: string | null }>(
    sql`select sum(balance_minor)::text as balance from subscriber_balances
        where tenant_id = ${tenantId} and subscriber_id = ${subscriberId}`,
  );
  return BigInt(rows[0]?.balance ?? '0');
}

export async function ledgerOf(db: Executor, tenantId: string, subscriberId: string) {
  return db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.tenantId, tenantId), eq(ledgerEntries.subscriberId, subscriberId)))
    .orderBy(ledgerEntries.createdAt);
}
