// The print form's text fields → `printRunInput`, and where the browser finds a run's PDF.
import { MAX_PRINT_CARDS, printRunInput, type PrintLayout, type PrintRunInput } from '@kasi/domain';
import { validate, wholeNumber, type Parsed } from './form-input.ts';

export interface PrintRunFields {
  count: string;
  hotspotUrl: string;
  brand: string;
  footer: string;
}

/** A full A4 sheet (21 cards) or whatever is left, whichever is smaller. */
export function emptyPrintRunFields(inStock: number): PrintRunFields {
  return {
    count: String(Math.max(1, Math.min(21, inStock, MAX_PRINT_CARDS))),
    hotspotUrl: '',
    brand: '',
    footer: '',
  };
}

export function toPrintRunInput(
  batchId: string,
  layout: PrintLayout,
  f: PrintRunFields,
): Parsed<PrintRunInput> {
  return validate(printRunInput, {
    batchId,
    layout,
    count: wholeNumber(f.count),
    hotspotUrl: f.hotspotUrl.trim() || undefined,
    brand: f.brand,
    footer: f.footer,
  });
}

/** The run's PDF; a reprint is counted (and audited) as one. */
export const printRunPdfUrl = (runId: string, reprint = false) =>
  `/print/runs/${runId}.pdf${reprint ? '?reprint=1' : ''}`;
