import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { pdfPageCount, pdfTextRuns } from '../vouchers/print/pdf-text.testing.ts';
import { billingWorld } from './billing.testing.ts';
import { updateBillingSettings } from './billing-settings.service.ts';
import { createInvoiceDraft, finaliseInvoice } from './invoice.service.ts';
import { recordPayment } from './payment.service.ts';
import { invoicePdf, receiptPdf } from './billing-pdf.service.ts';
import { billingPdfHandler } from './billing-pdf.route.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('billing PDFs', () => {
  it('prints the invoice with legal details, lines, tax, totals and the rounding rule; and a receipt', async () => {
    const w = await billingWorld(t);
    await updateBillingSettings(t.app, w.actor, {
      legalName: 'Kasi Net Ltd',
      legalAddress: 'Moi Avenue 1, Nairobi',
      taxId: 'P051234567X',
      taxRates: [{ id: 'vat', name: 'VAT 16%', rateBps: 1600, inclusive: true }],
    });
    const sub = await w.newSubscriber();
    const draft = await createInvoiceDraft(t.app, w.actor, {
      subscriberId: sub,
      lines: [
        { kind: 'plan', description: 'Home 10M, April', unitPriceMinor: 250_000n, taxRateId: 'vat' },
        { kind: 'installation', description: 'Installation', unitPriceMinor: 150_000n },
      ],
    });
    const inv = await finaliseInvoice(t.app, w.actor, draft.id);
    const { pdf, fileName } = await invoicePdf(t.app, w.actor, inv.id, false);
    expect(fileName).toBe('INV-000001.pdf');
    expect(pdfPageCount(pdf)).toBe(1);
    const text = pdfTextRuns(pdf).join('\n');
    for (const s of [
      'Kasi Net Ltd',
      'Tax ID P051234567X',
      'INV-000001',
      'Home 10M, April',
      'VAT 16% incl.',
      '4000.00 KES',
      'rounded half up',
      'Not fiscally signed.',
    ]) {
      expect(text).toContain(s);
    }
    const paid = await recordPayment(t.app, w.actor, {
      subscriberId: sub,
      amountMinor: 500_000n,
      currency: 'KES',
      method: 'cheque',
      reference: 'CHQ 0042',
    });
    const receipt = pdfTextRuns((await receiptPdf(t.app, w.actor, paid.payment.id, false)).pdf).join('\n');
    for (const s of [
      'Receipt',
      'RCT-000001',
      'Paid towards INV-000001',
      '5000.00 KES',
      '1000.00 KES',
      'cheque, reference CHQ 0042',
    ]) {
      expect(receipt).toContain(s);
    }
  });

  it('serves PDFs only to a signed-in operator of the tenant', async () => {
    const server = createServer(billingPdfHandler(t.app));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const res = await fetch(
        `http://127.0.0.1:${port}/pdf/invoices/00000000-0000-4000-8000-000000000000.pdf`,
      );
      expect(res.status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/pdf/invoices/nope.pdf`)).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
