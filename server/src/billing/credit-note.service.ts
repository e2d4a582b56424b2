// Credit notes: the only way to correct or void an issued invoice. A credit note has its own
// number series (CN-…), names the invoice it corrects and is never more than what is left
// to credit on it; crediting all of it voids the invoice. Above the tenant's threshold a
// credit note waits as a numberless draft for a second person's approval.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { allocations, invoiceLines, invoices, writeAudit } from '@kasi/db';
import { conflict, creditNoteInput, invalid, notFound, type CreditNoteInput } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { withSubscriberMoney, type MoneyContext, type Tx } from './billing-tx.ts';
import { displayNumber, nextDocumentNumber } from './document-series.ts';
import { appendLedger } from './ledger.ts';
import { allocate } from './settle.ts';
import { needsSecondPerson, requireSecondPerson } from './second-person.ts';
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

function creditable(inv: InvoiceRow, amountMinor: bigint | null): bigint {
  if (inv.status === 'draft') {
    throw conflict('INVOICE.DRAFT', 'A draft has no number: change or delete it instead', {
      field: 'invoiceId',
    });
  }
  if (inv.status === 'void')
    throw conflict('INVOICE.VOID', `Invoice ${inv.displayNumber} is void`, { field: 'invoiceId' });
  const left = inv.totalMinor - inv.creditedMinor;
  const amount = amountMinor ?? left;
  if (amount <= 0n || amount > left) {
    throw invalid('CREDIT_NOTE.TOO_LARGE', `At most ${left} minor units are left to credit`, {
      field: 'amountMinor',
    });
  }
  return amount;
}

/** Releases payments from a voided invoice (they become credit) and lets the note cover it. */
async function voidInvoice(m: MoneyContext, inv: InvoiceRow, noteId: string) {
  const released = await m.tx
    .update(allocations)
    .set({ releasedAt: new Date() })
    .where(
      and(
        eq(allocations.invoiceId, inv.id),
        eq(allocations.sourceType, 'payment'),
        isNull(allocations.releasedAt),
      ),
    )
    .returning({ amount: allocations.amountMinor });
  const freed = released.reduce((s, r) => s + r.amount, 0n);
  const [after] = await m.tx
    .update(invoices)
    .set({
      status: 'void',
      voidedAt: new Date(),
      allocatedMinor: sql`${invoices.allocatedMinor} - ${freed}`,
      updatedAt: new Date(),
    })
    .where(eq(invoices.id, inv.id))
    .returning();
  const rest = (after?.totalMinor ?? 0n) - (after?.allocatedMinor ?? 0n);
  await allocate(m.tx, { ...m, sourceType: 'credit_note', sourceId: noteId }, [
    { invoiceId: inv.id, amountMinor: rest },
  ]);
}

/** Numbers a credit note draft and applies it: ledger, the original's due, a void. */
export async function issueCreditNote(m: MoneyContext, note: InvoiceRow): Promise<InvoiceRow> {
  const inv = await lockedInvoice(m.tx, m.tenantId, note.creditNoteFor ?? '');
  creditable(inv, note.totalMinor);
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
  if (credited && credited.creditedMinor === credited.totalMinor) await voidInvoice(m, credited, note.id);
  else {
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
        const amount = creditable(inv, v.amountMinor);
        const settings = await loadBillingSettings(tx, m.tenantId);
        const pending = needsSecondPerson(amount, settings.approvalThresholdMinor);
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
            approval: pending ? 'pending' : 'none',
            requestedBy: actor.userId,
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
        return pending ? draft : issueCreditNote(m, draft);
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
export async function decideCreditNote(
  app: AppContext,
  actor: Actor,
  id: string,
  decision: 'approve' | 'reject',
) {
  requirePermission(actor, 'change.approve');
  return app.db.transaction(async (tx) => {
    const [head] = await tx
      .select()
      .from(invoices)
      .where(
        and(eq(invoices.tenantId, actor.tenantId), eq(invoices.id, id), eq(invoices.kind, 'credit_note')),
      );
    if (!head) throw notFound('CREDIT_NOTE.NOT_FOUND', 'No such credit note');
    requireSecondPerson(actor, head.requestedBy);
    const note = await withSubscriberMoney(
      tx,
      actor.tenantId,
      head.subscriberId,
      async (m) => {
        const [moved] = await tx
          .update(invoices)
          .set({ approval: decision === 'approve' ? 'approved' : 'rejected', approvedBy: actor.userId })
          .where(and(eq(invoices.id, id), eq(invoices.approval, 'pending')))
          .returning();
        if (!moved) throw conflict('CREDIT_NOTE.NOT_PENDING', 'That credit note is not waiting for approval');
        return decision === 'approve' ? issueCreditNote(m, moved) : moved;
      },
      (n) => (n.status === 'draft' ? null : n.id),
    );
    await writeAudit(tx, {
      ...auditActor(actor),
      action: `credit_note.${decision}`,
      entityType: 'invoice',
      entityId: id,
      after: { number: note.displayNumber, amountMinor: note.totalMinor },
    });
    return note;
  });
}
