// An invoice's amounts from its lines: each line rounded on its own, totals are plain sums
// of the line figures, so "the total equals its lines" holds by construction (ADR 0015).
import { invalid } from './errors.ts';
import { splitTax, type TaxRate } from './tax.ts';

export interface LineInput extends TaxRate {
  quantity: number;
  /** Negative for a discount line. Inclusive of tax when `inclusive`. */
  unitPriceMinor: bigint;
}

export interface LineAmounts {
  netMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
}

export interface InvoiceTotals {
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
}

export function lineAmounts(line: LineInput): LineAmounts {
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
    throw invalid('INVOICE.BAD_QUANTITY', 'Quantity is a whole number of at least 1', { field: 'quantity' });
  }
  const split = splitTax(BigInt(line.quantity) * line.unitPriceMinor, line);
  return { netMinor: split.netMinor, taxMinor: split.taxMinor, totalMinor: split.grossMinor };
}

export function invoiceTotals(lines: readonly LineAmounts[]): InvoiceTotals {
  let subtotalMinor = 0n;
  let taxMinor = 0n;
  let totalMinor = 0n;
  for (const l of lines) {
    subtotalMinor += l.netMinor;
    taxMinor += l.taxMinor;
    totalMinor += l.totalMinor;
  }
  return { subtotalMinor, taxMinor, totalMinor };
}

export type InvoiceStatus = 'draft' | 'open' | 'partially_paid' | 'paid' | 'void';

/** Status of a finalised invoice from what has been allocated to it (payments, credits). */
export function settledStatus(totalMinor: bigint, allocatedMinor: bigint): InvoiceStatus {
  if (allocatedMinor >= totalMinor) return 'paid';
  return allocatedMinor > 0n ? 'partially_paid' : 'open';
}
