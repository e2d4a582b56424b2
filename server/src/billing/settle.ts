// Matches a subscriber's unused credit (payments, credit notes) to open invoices, oldest
// credit to oldest invoice. Run after every money change inside the account lock, so an
// overpayment pays the next invoice the moment it is finalised.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { allocations, invoices, type AllocationSource, type Executor } from '@kasi/db';
import { allocateOldestFirst, settledStatus } from '@kasi/domain';
import type { Tx } from './billing-tx.ts';

export interface CreditSource {
  sourceType: AllocationSource;
  sourceId: string;
  remainingMinor: bigint;
}

/** Payments and issued credit notes with something left to apply, oldest first. */
export async function unusedCredit(
  db: Executor,
  tenantId: string,
  subscriberId: string,
): Promise<CreditSource[]> {
  const rows = await db.execute<{ source_type: AllocationSource; source_id: string; remaining: string }>(sql`
    with used as (
      select source_type, source_id, sum(amount_minor) as used from allocations
      where tenant_id = ${tenantId} and subscriber_id = ${subscriberId} and released_at is null
      group by source_type, source_id
    ), sources as (
      -- A payment holds what was not refunded (ADR 0021): refunded money settles nothing.
      select 'payment' as source_type, p.id as source_id,
             p.amount_minor - coalesce((select sum(r.amount_minor) from payment_refunds r
               where r.tenant_id = p.tenant_id and r.payment_id = p.id and r.status = 'succeeded'), 0) as amount,
             p.received_at as at
      from payments p where p.tenant_id = ${tenantId} and p.subscriber_id = ${subscriberId}
      union all
      select 'credit_note', i.id, i.total_minor, i.issued_at from invoices i
      where i.tenant_id = ${tenantId} and i.subscriber_id = ${subscriberId}
        and i.kind = 'credit_note' and i.status <> 'draft'
    )
    select s.source_type, s.source_id, (s.amount - coalesce(u.used, 0))::text as remaining
    from sources s left join used u on u.source_type = s.source_type and u.source_id = s.source_id
    where s.amount - coalesce(u.used, 0) > 0
    order by s.at, s.source_id`);
  return rows.map((r) => ({
    sourceType: r.source_type,
    sourceId: r.source_id,
    remainingMinor: BigInt(r.remaining),
  }));
}

/** Open invoices with what is still due, oldest first. */
export async function openInvoices(db: Executor, tenantId: string, subscriberId: string) {
  const rows = await db
    .select({ id: invoices.id, total: invoices.totalMinor, allocated: invoices.allocatedMinor })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        eq(invoices.subscriberId, subscriberId),
        eq(invoices.kind, 'invoice'),
        inArray(invoices.status, ['open', 'partially_paid']),
      ),
    )
    .orderBy(invoices.issuedAt, invoices.number);
  return rows.map((r) => ({ id: r.id, dueMinor: r.total - r.allocated }));
}

/** Records allocations and moves each invoice's allocated amount and status with them. */
export async function allocate(
  tx: Tx,
  ids: { tenantId: string; subscriberId: string; sourceType: AllocationSource; sourceId: string },
  parts: readonly { invoiceId: string; amountMinor: bigint }[],
): Promise<void> {
  for (const part of parts) {
    if (part.amountMinor <= 0n) continue;
    await tx.insert(allocations).values({
      tenantId: ids.tenantId,
      subscriberId: ids.subscriberId,
      sourceType: ids.sourceType,
      sourceId: ids.sourceId,
      invoiceId: part.invoiceId,
      amountMinor: part.amountMinor,
    });
    const [inv] = await tx
      .update(invoices)
      .set({ allocatedMinor: sql`${invoices.allocatedMinor} + ${part.amountMinor}`, updatedAt: new Date() })
      .where(eq(invoices.id, part.invoiceId))
      .returning({ total: invoices.totalMinor, allocated: invoices.allocatedMinor, status: invoices.status });
    if (inv && inv.status !== 'void') {
      await tx
        .update(invoices)
        .set({ status: settledStatus(inv.total, inv.allocated) })
        .where(eq(invoices.id, part.invoiceId));
    }
  }
}

export async function settleAccount(tx: Tx, tenantId: string, subscriberId: string): Promise<void> {
  let open = await openInvoices(tx, tenantId, subscriberId);
  if (open.length === 0) return;
  for (const credit of await unusedCredit(tx, tenantId, subscriberId)) {
    const { allocations: parts } = allocateOldestFirst(credit.remainingMinor, open);
    if (parts.length === 0) break;
    await allocate(tx, { tenantId, subscriberId, ...credit }, parts);
    const taken = new Map(parts.map((p) => [p.invoiceId, p.amountMinor]));
    open = open
      .map((o) => ({ ...o, dueMinor: o.dueMinor - (taken.get(o.id) ?? 0n) }))
      .filter((o) => o.dueMinor > 0n);
    if (open.length === 0) break;
  }
}
