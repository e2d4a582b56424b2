// Issuing documents inside a caller's transaction: a draft invoice with its lines, and
// finalisation (number, ledger entry, credit applied). The billing run calls these too.
import { and, eq } from 'drizzle-orm';
import { invoiceLines, invoices } from '@kasi/db';
import { conflict, invalid, notFound, type InvoiceLineInput } from '@kasi/domain';
import { loadBillingSettings } from './billing-settings.service.ts';
import { withSubscriberMoney, type Tx } from './billing-tx.ts';
import { displayNumber, nextDocumentNumber } from './document-series.ts';
import { appendLedger } from './ledger.ts';
import { buildLines } from './invoice-lines.ts';

export type InvoiceRow = typeof invoices.$inferSelect;

export interface DraftOptions {
  tenantId: string;
  subscriberId: string;
  lines: readonly InvoiceLineInput[];
  memo?: string | null;
  periodStart?: Date | null;
  periodEnd?: Date | null;
  createdBy?: string | null;
}

export async function insertDraft(tx: Tx, o: DraftOptions): Promise<InvoiceRow> {
  const settings = await loadBillingSettings(tx, o.tenantId);
  const { lines, totals } = buildLines(settings, o.lines);
  if (totals.totalMinor < 0n) throw negativeTotal();
  const [row] = await tx
    .insert(invoices)
    .values({
      tenantId: o.tenantId,
      subscriberId: o.subscriberId,
      currency: settings.currency,
      memo: o.memo ?? null,
      periodStart: o.periodStart ?? null,
      periodEnd: o.periodEnd ?? null,
      requestedBy: o.createdBy ?? null,
      ...totals,
    })
    .returning();
  if (!row) throw new Error('invoice insert returned nothing');
  await tx
    .insert(invoiceLines)
    .values(lines.map((l, position) => ({ ...l, position, tenantId: o.tenantId, invoiceId: row.id })));
  return row;
}

const DAY_MS = 86_400_000;

const negativeTotal = () =>
  invalid('INVOICE.NEGATIVE_TOTAL', 'An invoice cannot total below zero: issue a credit note', {
    field: 'lines',
  });

/**
 * Draft → open: takes the next number of the tenant's series, writes the ledger entry and
 * lets unused credit pay it — all in the caller's transaction, under the account lock. The
 * caller queues the "invoice issued" text in the same transaction (`textInvoiceIssued`).
 */
export async function finaliseInTx(tx: Tx, tenantId: string, invoiceId: string, now = new Date()) {
  const [found] = await tx
    .select({ subscriberId: invoices.subscriberId })
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)));
  if (!found) throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
  return withSubscriberMoney(tx, tenantId, found.subscriberId, async () => {
    const [draft] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)))
      .for('update');
    if (!draft || draft.kind !== 'invoice') throw notFound('INVOICE.NOT_FOUND', 'No such invoice');
    if (draft.status !== 'draft') {
      throw conflict('INVOICE.NOT_DRAFT', `Invoice ${draft.displayNumber} is already finalised`, {
        field: 'invoiceId',
      });
    }
    if (draft.totalMinor < 0n) throw negativeTotal();
    const settings = await loadBillingSettings(tx, tenantId);
    const number = await nextDocumentNumber(tx, tenantId, 'invoice');
    const [row] = await tx
      .update(invoices)
      .set({
        number,
        displayNumber: displayNumber(settings.invoicePrefix, number),
        status: draft.totalMinor === 0n ? 'paid' : 'open',
        issuedAt: now,
        dueAt: draft.dueAt ?? new Date(now.getTime() + settings.dueDays * DAY_MS),
        updatedAt: now,
      })
      .where(eq(invoices.id, invoiceId))
      .returning();
    await appendLedger(tx, {
      tenantId,
      subscriberId: draft.subscriberId,
      kind: 'invoice',
      sourceType: 'invoice',
      sourceId: invoiceId,
      amountMinor: draft.totalMinor,
      currency: draft.currency,
    });
    return row ?? draft;
  });
}
