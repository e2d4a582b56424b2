import { describe, expect, it } from 'vitest';
import { emptyPrintRunFields, printRunPdfUrl, toPrintRunInput } from './print-run-form.ts';

const batchId = '0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d';

describe('print run form', () => {
  it('offers one A4 sheet, or what is left in stock', () => {
    expect(emptyPrintRunFields(500).count).toBe('21');
    expect(emptyPrintRunFields(7).count).toBe('7');
  });

  it('maps the fields, leaving a blank hotspot to the default', () => {
    const parsed = toPrintRunInput(batchId, 'thermal58', {
      count: '10',
      hotspotUrl: ' ',
      brand: 'Mama Net',
      footer: '',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        batchId,
        layout: 'thermal58',
        count: 10,
        // Blank: the server fills in the tenant's hotspot login address (Settings).
        brand: 'Mama Net',
        footer: '',
      },
    });
  });

  it('explains a bad count and a hotspot that is not a web address', () => {
    const parsed = toPrintRunInput(batchId, 'a4', {
      count: 'ten',
      hotspotUrl: 'javascript:x',
      brand: '',
      footer: '',
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors).sort()).toEqual(['count', 'hotspotUrl']);
  });

  it('links a run’s PDF, marking reprints', () => {
    expect(printRunPdfUrl('r1')).toBe('/print/runs/r1.pdf');
    expect(printRunPdfUrl('r1', true)).toBe('/print/runs/r1.pdf?reprint=1');
  });
});
