// Turns line input into stored lines: the tax rate is looked up in the tenant's settings
// and copied onto the line (rate, name, inclusive), so a later change of the settings never
// changes an issued invoice.
import { invoiceLineInput, invoiceTotals, lineAmounts, type InvoiceLineInput } from '@kasi/domain';
import type { invoiceLines } from '@kasi/db';
import { findTaxRate, type BillingSettings } from './billing-settings.service.ts';

export type NewLine = Omit<typeof invoiceLines.$inferInsert, 'invoiceId' | 'tenantId' | 'position'>;

export function buildLines(settings: BillingSettings, input: readonly InvoiceLineInput[]) {
  const lines: NewLine[] = input.map((raw) => {
    const l = invoiceLineInput.parse(raw);
    const rate = findTaxRate(settings, l.taxRateId);
    const tax = { rateBps: rate?.rateBps ?? 0, inclusive: rate?.inclusive ?? false };
    const amounts = lineAmounts({ quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, ...tax });
    return {
      kind: l.kind,
      description: l.description,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      taxRateId: rate?.id ?? null,
      taxName: rate?.name ?? null,
      taxRateBps: tax.rateBps,
      taxInclusive: tax.inclusive,
      ...amounts,
    };
  });
  const totals = invoiceTotals(
    lines.map((l) => ({ netMinor: l.netMinor, taxMinor: l.taxMinor, totalMinor: l.totalMinor })),
  );
  return { lines, totals };
}
