// Credit notes: the only way to correct or void an issued invoice. A credit note has its own
// number series (CN-…), names the invoice it corrects and is never more than what is left
// to credit on it; crediting all of it voids the invoice. Above the tenant's threshold a
// credit note waits as a numberless draft for a second person's approval.
import { and, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { allocations, invoiceLines, invoices, writeAudit } from '@kasi/db';
import {
  conflict,
  creditNoteInput,
  invalid,
  notFound,
  settledStatus,
  type CreditNoteInput,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { decidedApproval, decidePending, type Decision } from './approval-decision.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { withSubscriberMoney, type MoneyContext, type Tx } from './billing-tx.ts';
import { displayNumber, nextDocumentNumber } from './document-series.ts';
import { appendLedger } from './ledger.ts';
import { allocate } from './settle.ts';
import { requestApproval } from './second-person.ts';
import type { InvoiceRow } from './invoice-issue.ts';

async function lockedInvoice(tx: Tx, tenantId: string, id: string): Promise<InvoiceRow> {
  const [inv] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, id)))
    .for('update');
  if (!inv || inv.kind !== 'invoice') throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
  return inv;
}

/** What a write-off has already settled on the invoice: never credited again. */
async function writtenOff(tx: Tx, invoiceId: string): Promise<bigint> {
  const [row] = await tx
    .select({ s: sql<string>`coalesce(sum(${allocations.amountMinor}), 0)::text` })
    .from(allocations)
    .where(
      and(
        eq(allocations.invoiceId, invoiceId),
        eq(allocations.sourceType, 'write_off'),
        isNull(allocations.releasedAt),
      ),
    );
  return BigInt(row?.s ?? '0');
}

async function creditable(tx: Tx, inv: InvoiceRow, amountMinor: bigint | null): Promise<bigint> {
  if (inv.status === 'draft') {
    throw conflict('INVOICE.DRAFT', 'A draft has no number: change or delete it instead', {
      field: 'invoiceId',
    });
  }
  if (inv.status === 'void') {
    throw conflict('INVOICE.VOID', `Invoice ${inv.displayNumber} is void`, { field: 'invoiceId' });
  }
  const left = inv.totalMinor - inv.creditedMinor - (await writtenOff(tx, inv.id));
  const amount = amountMinor ?? left;
  if (amount <= 0n || amount > left) {
    throw invalid('CREDIT_NOTE.TOO_LARGE', `At most ${left} minor units are left to credit`, {
      field: 'amountMinor',
    });
  }
  return amount;
}

/** Takes allocations back (the invoices they settled owe that again), for a re-settle. */
async function release(tx: Tx, where: SQL): Promise<void> {
  const freed = await tx
    .update(allocations)
    .set({ releasedAt: new Date() })
    .where(and(isNull(allocations.releasedAt), where))
    .returning({ invoiceId: allocations.invoiceId, amount: allocations.amountMinor });
  const byInvoice = new Map<string, bigint>();
  for (const f of freed) byInvoice.set(f.invoiceId, (byInvoice.get(f.invoiceId) ?? 0n) + f.amount);
  for (const [invoiceId, amount] of byInvoice) {
    const [after] = await tx
      .update(invoices)
      .set({ allocatedMinor: sql`${invoices.allocatedMinor} - ${amount}`, updatedAt: new Date() })
      .where(eq(invoices.id, invoiceId))
      .returning();
    if (after && after.kind === 'invoice' && after.status !== 'void' && after.status !== 'draft') {
      await tx
        .update(invoices)
        .set({ status: settledStatus(after.totalMinor, after.allocatedMinor) })
        .where(eq(invoices.id, invoiceId));
    }
  }
}

/**
 * Credit notes and write-offs now cover the whole invoice: it is void. Its own credit notes
 * are taken back from wherever they were applied and settle it in full; payments on it become
 * credit again; then the account is re-settled oldest first (by the caller's money lock).
 */
async function voidInvoice(m: MoneyContext, inv: InvoiceRow): Promise<void> {
  const notes = await m.tx
    .select({ id: invoices.id, total: invoices.totalMinor })
    .from(invoices)
    .where(
      and(eq(invoices.creditNoteFor, inv.id), eq(invoices.kind, 'credit_note'), ne(invoices.status, 'draft')),
    );
  const noteIds = notes.map((n) => n.id);
  await release(
    m.tx,
    or(
      and(eq(allocations.invoiceId, inv.id), ne(allocations.sourceType, 'write_off')),
      and(eq(allocations.sourceType, 'credit_note'), inArray(allocations.sourceId, noteIds)),
    ) ?? sql`false`,
  );
  await m.tx.update(invoices).set({ status: 'void', voidedAt: new Date() }).where(eq(invoices.id, inv.id));
  for (const n of notes) {
    await allocate(m.tx, { ...m, sourceType: 'credit_note', sourceId: n.id }, [
      { invoiceId: inv.id, amountMinor: n.total },
    ]);
  }
}

/** Numbers a credit note draft and applies it: ledger, the original's due, a void. */
export async function issueCreditNote(m: MoneyContext, note: InvoiceRow): Promise<InvoiceRow> {
  const inv = await lockedInvoice(m.tx, m.tenantId, note.creditNoteFor ?? '');
  await creditable(m.tx, inv, note.totalMinor);
  const settings = await loadBillingSettings(m.tx, m.tenantId);
  const number = await nextDocumentNumber(m.tx, m.tenantId, 'credit_note');
  const [issued] = await m.tx
    .update(invoices)
    .set({
      number,
      displayNumber: displayNumber(settings.creditNotePrefix, number),
      status: 'paid',
      issuedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(invoices.id, note.id))
    .returning();
  await appendLedger(m.tx, {
    tenantId: m.tenantId,
    subscriberId: m.subscriberId,
    kind: 'credit_note',
    sourceType: 'credit_note',
    sourceId: note.id,
    amountMinor: -note.totalMinor,
    currency: note.currency,
  });
  const [credited] = await m.tx
    .update(invoices)
    .set({ creditedMinor: sql`${invoices.creditedMinor} + ${note.totalMinor}` })
    .where(eq(invoices.id, inv.id))
    .returning();
  if (credited && credited.creditedMinor + (await writtenOff(m.tx, inv.id)) === credited.totalMinor) {
    await voidInvoice(m, credited);
  } else {
    const due = inv.totalMinor - inv.allocatedMinor;
    const take = due < note.totalMinor ? due : note.totalMinor;
    await allocate(m.tx, { ...m, sourceType: 'credit_note', sourceId: note.id }, [
      { invoiceId: inv.id, amountMinor: take },
    ]);
  }
  return issued ?? note;
}

export async function createCreditNote(
  app: AppContext,
  actor: Actor,
  input: CreditNoteInput,
): Promise<InvoiceRow> {
  requirePermission(actor, 'billing.write');
  const v = creditNoteInput.parse(input);
  return app.db.transaction(async (tx) => {
    const [head] = await tx
      .select({ subscriberId: invoices.subscriberId })
      .from(invoices)
      .where(and(eq(invoices.tenantId, actor.tenantId), eq(invoices.id, v.invoiceId)));
    if (!head) throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
    const note = await withSubscriberMoney(
      tx,
      actor.tenantId,
      head.subscriberId,
      async (m) => {
        const inv = await lockedInvoice(tx, m.tenantId, v.invoiceId);
        const amount = await creditable(tx, inv, v.amountMinor);
        const approval = await requestApproval(tx, { tenantId: m.tenantId, amountMinor: amount, actor });
        const [draft] = await tx
          .insert(invoices)
          .values({
            tenantId: m.tenantId,
            subscriberId: m.subscriberId,
            kind: 'credit_note',
            currency: inv.currency,
            subtotalMinor: amount,
            totalMinor: amount,
            creditNoteFor: inv.id,
            reason: v.reason,
            ...approval,
          })
          .returning();
        if (!draft) throw new Error('credit note insert returned nothing');
        await tx.insert(invoiceLines).values({
          tenantId: m.tenantId,
          invoiceId: draft.id,
          position: 0,
          kind: 'other',
          description: `Credit for ${inv.displayNumber}: ${v.reason}`,
          quantity: 1,
          unitPriceMinor: amount,
          netMinor: amount,
          taxMinor: 0n,
          totalMinor: amount,
        });
        return approval.approval === 'pending' ? draft : issueCreditNote(m, draft);
      },
      (n) => (n.status === 'draft' ? null : n.id),
    );
    await writeAudit(tx, {
      ...auditActor(actor),
      action: note.status === 'draft' ? 'credit_note.request' : 'credit_note.issue',
      entityType: 'invoice',
      entityId: note.id,
      after: { for: v.invoiceId, amountMinor: note.totalMinor, number: note.displayNumber, reason: v.reason },
    });
    return note;
  });
}

/** A second operator approves (issues) or rejects a credit note waiting for approval. */
export function decideCreditNote(app: AppContext, actor: Actor, id: string, decision: Decision) {
  return decidePending(app, actor, {
    decision,
    action: 'credit_note',
    entityType: 'invoice',
    id,
    async find(tx) {
      const [head] = await tx
        .select()
        .from(invoices)
        .where(
          and(eq(invoices.tenantId, actor.tenantId), eq(invoices.id, id), eq(invoices.kind, 'credit_note')),
        );
      if (!head) throw notFound('CREDIT_NOTE.NOT_FOUND', 'No such credit note');
      return head;
    },
    async decide(m) {
      const [moved] = await m.tx
        .update(invoices)
        .set({ approval: decidedApproval(decision), approvedBy: actor.userId })
        .where(and(eq(invoices.id, id), eq(invoices.approval, 'pending')))
        .returning();
      if (!moved) throw conflict('CREDIT_NOTE.NOT_PENDING', 'That credit note is not waiting for approval');
      return decision === 'approve' ? issueCreditNote(m, moved) : moved;
    },
    cause: (n) => (n.status === 'draft' ? null : n.id),
    audited: (n) => ({ number: n.displayNumber, amountMinor: n.totalMinor }),
  });
}
