// Invoices for operators: draft, finalise, read, list. Authorise first; every write is
// audited in its own transaction. Corrections of issued invoices are credit notes
// (credit-note.service.ts); an issued invoice never changes its lines.
import { and, asc, desc, eq, type SQL } from 'drizzle-orm';
import { allocations, invoiceLines, invoices, subscribers, writeAudit } from '@kasi/db';
import { invoiceDraftInput, notFound, type InvoiceDraftInput, type InvoiceStatus } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { finaliseInTx, insertDraft, type InvoiceRow } from './invoice-issue.ts';
import { textInvoiceIssued } from './billing-sms.ts';
import { withSubscriberMoney } from './billing-tx.ts';

export async function createInvoiceDraft(app: AppContext, actor: Actor, input: InvoiceDraftInput) {
  requirePermission(actor, 'billing.write');
  const v = invoiceDraftInput.parse(input);
  return app.db.transaction(async (tx) => {
    const row = await withSubscriberMoney(tx, actor.tenantId, v.subscriberId, () =>
      insertDraft(tx, { ...v, tenantId: actor.tenantId, createdBy: actor.userId }),
    );
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'invoice.draft',
      entityType: 'invoice',
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function finaliseInvoice(app: AppContext, actor: Actor, id: string): Promise<InvoiceRow> {
  requirePermission(actor, 'billing.write');
  return app.db.transaction(async (tx) => {
    const row = await finaliseInTx(tx, actor.tenantId, id);
    await textInvoiceIssued(app, tx, actor.tenantId, id);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'invoice.finalise',
      entityType: 'invoice',
      entityId: id,
      after: { number: row.displayNumber, totalMinor: row.totalMinor, status: row.status },
    });
    return row;
  });
}

export async function getInvoice(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'billing.read');
  const [row] = await app.db
    .select({ invoice: invoices, username: subscribers.username, fullName: subscribers.fullName })
    .from(invoices)
    .innerJoin(subscribers, eq(subscribers.id, invoices.subscriberId))
    .where(and(eq(invoices.tenantId, actor.tenantId), eq(invoices.id, id)));
  if (!row) throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
  const lines = await app.db
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, id))
    .orderBy(asc(invoiceLines.position));
  const settledBy = await app.db
    .select()
    .from(allocations)
    .where(and(eq(allocations.tenantId, actor.tenantId), eq(allocations.invoiceId, id)))
    .orderBy(asc(allocations.createdAt));
  const creditNotes = await app.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, actor.tenantId), eq(invoices.creditNoteFor, id)))
    .orderBy(asc(invoices.createdAt));
  return {
    ...row.invoice,
    subscriber: { id: row.invoice.subscriberId, username: row.username, fullName: row.fullName },
    dueMinor: row.invoice.kind === 'invoice' ? row.invoice.totalMinor - row.invoice.allocatedMinor : 0n,
    lines,
    allocations: settledBy,
    creditNotes,
  };
}

export interface InvoiceFilter {
  subscriberId?: string | undefined;
  status?: InvoiceStatus | undefined;
  kind?: 'invoice' | 'credit_note' | undefined;
  limit?: number | undefined;
}

export async function listInvoices(app: AppContext, actor: Actor, filter: InvoiceFilter = {}) {
  requirePermission(actor, 'billing.read');
  const where: SQL[] = [eq(invoices.tenantId, actor.tenantId)];
  if (filter.subscriberId) where.push(eq(invoices.subscriberId, filter.subscriberId));
  if (filter.status) where.push(eq(invoices.status, filter.status));
  if (filter.kind) where.push(eq(invoices.kind, filter.kind));
  return app.db
    .select({
      id: invoices.id,
      kind: invoices.kind,
      status: invoices.status,
      displayNumber: invoices.displayNumber,
      subscriberId: invoices.subscriberId,
      username: subscribers.username,
      currency: invoices.currency,
      totalMinor: invoices.totalMinor,
      allocatedMinor: invoices.allocatedMinor,
      issuedAt: invoices.issuedAt,
      dueAt: invoices.dueAt,
      approval: invoices.approval,
      createdAt: invoices.createdAt,
    })
    .from(invoices)
    .innerJoin(subscribers, eq(subscribers.id, invoices.subscriberId))
    .where(and(...where))
    .orderBy(desc(invoices.createdAt))
    .limit(Math.min(filter.limit ?? 200, 1000));
}
