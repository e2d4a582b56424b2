// Builds the printable invoice, credit note and receipt from the stored rows (never
// recomputed: an issued document prints what was issued).
import { eq } from 'drizzle-orm';
import { tenants } from '@kasi/db';
import { currencyExponent } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { getInvoice } from './invoice.service.ts';
import { getPayment } from './payment.service.ts';
import { renderInvoicePdf, type Letterhead } from './billing-pdf.ts';

export interface RenderedPdf {
  pdf: Buffer;
  fileName: string;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '—');

async function letterheadOf(app: AppContext, tenantId: string): Promise<Letterhead> {
  const [t] = await app.db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  const s = await loadBillingSettings(app.db, tenantId);
  return { brand: t?.name ?? '', legalName: s.legalName, legalAddress: s.legalAddress, taxId: s.taxId };
}

function roundingNote(currency: string): string {
  return `Amounts in ${currency} (${currencyExponent(currency)} decimals). Tax is worked out per line and rounded half up; totals are the sum of the lines.`;
}

export async function invoicePdf(
  app: AppContext,
  actor: Actor,
  id: string,
  compress = true,
): Promise<RenderedPdf> {
  const inv = await getInvoice(app, actor, id);
  const credit = inv.kind === 'credit_note';
  const title =
    inv.status === 'draft'
      ? credit
        ? 'Credit note (draft)'
        : 'Invoice (draft)'
      : credit
        ? 'Credit note'
        : 'Invoice';
  const number = inv.displayNumber ?? 'DRAFT';
  const pdf = await renderInvoicePdf(
    await letterheadOf(app, actor.tenantId),
    {
      title,
      number,
      customer: inv.subscriber.fullName
        ? `${inv.subscriber.fullName} (${inv.subscriber.username})`
        : inv.subscriber.username,
      currency: inv.currency,
      dates: [
        ['Issued', day(inv.issuedAt)],
        ...(credit ? [] : ([['Due', day(inv.dueAt)]] as [string, string][])),
        ...(inv.periodStart
          ? ([['Period', `${day(inv.periodStart)} – ${day(inv.periodEnd)}`]] as [string, string][])
          : []),
      ],
      lines: inv.lines,
      totals: [
        ['Net', inv.subtotalMinor],
        ['Tax', inv.taxMinor],
        ['Total', inv.totalMinor],
        ...(credit
          ? []
          : ([
              ['Paid or credited', inv.allocatedMinor],
              ['Due', inv.dueMinor],
            ] as [string, bigint][])),
      ],
      notes: [
        roundingNote(inv.currency),
        ...(inv.reason ? [`Reason: ${inv.reason}`] : []),
        ...(inv.status === 'void' ? ['VOID: cancelled by credit note.'] : []),
      ],
      payUrl: null,
      fiscalSignature: inv.fiscalSignature,
    },
    compress,
  );
  return { pdf, fileName: `${number}.pdf` };
}

export async function receiptPdf(
  app: AppContext,
  actor: Actor,
  paymentId: string,
  compress = true,
): Promise<RenderedPdf> {
  const p = await getPayment(app, actor, paymentId);
  const applied = p.allocations.filter((a) => !a.releasedAt);
  const used = applied.reduce((s, a) => s + a.amountMinor, 0n);
  const pdf = await renderInvoicePdf(
    await letterheadOf(app, actor.tenantId),
    {
      title: 'Receipt',
      number: p.receiptNumber,
      customer: p.username,
      currency: p.currency,
      dates: [['Received', day(p.receivedAt)]],
      lines: applied.map((a) => ({
        description: `Paid towards ${a.displayNumber ?? 'invoice'}`,
        quantity: 1,
        unitPriceMinor: a.amountMinor,
        taxName: null,
        taxInclusive: false,
        totalMinor: a.amountMinor,
      })),
      totals: [
        ['Amount received', p.amountMinor],
        ['Kept as credit', p.amountMinor - used],
      ],
      notes: [
        `Paid by ${p.method.replace('_', ' ')}${p.reference ? `, reference ${p.reference}` : ''}.`,
        roundingNote(p.currency),
      ],
      payUrl: null,
      fiscalSignature: null,
    },
    compress,
  );
  return { pdf, fileName: `${p.receiptNumber}.pdf` };
}
