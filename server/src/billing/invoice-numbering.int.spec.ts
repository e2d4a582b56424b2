import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { billingWorld } from './billing.testing.ts';
import { createInvoiceDraft, finaliseInvoice, getInvoice } from './invoice.service.ts';
import { updateBillingSettings } from './billing-settings.service.ts';
import { finaliseInTx } from './invoice-issue.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('invoice numbers', () => {
  it('finalising 50 invoices at once gives numbers 1..50: no gap, no duplicate', async () => {
    const w = await billingWorld(t);
    const subs = await Promise.all(Array.from({ length: 10 }, () => w.newSubscriber()));
    const drafts = [];
    for (let i = 0; i < 50; i++) {
      drafts.push(
        await createInvoiceDraft(t.app, w.actor, {
          subscriberId: subs[i % 10] ?? '',
          lines: [{ kind: 'plan', description: 'Month', unitPriceMinor: 1000n + BigInt(i) }],
        }),
      );
    }
    expect(drafts.every((d) => d.number === null && d.status === 'draft')).toBe(true);
    const done = await Promise.all(drafts.map((d) => finaliseInvoice(t.app, w.actor, d.id)));
    const numbers = done.map((d) => Number(d.number)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(done[0]?.displayNumber).toMatch(/^INV-0000\d\d$/);
  });

  it('a finalisation that fails returns its number; series are per tenant and use the prefix', async () => {
    const w = await billingWorld(t);
    const other = await billingWorld(t);
    await updateBillingSettings(t.app, w.actor, { invoicePrefix: 'KA/' });
    const sub = await w.newSubscriber();
    expect((await w.invoice(sub, 500n)).number).toBe(1n);
    await expect(
      createInvoiceDraft(t.app, w.actor, {
        subscriberId: sub,
        lines: [{ kind: 'discount', description: 'Too much off', unitPriceMinor: -100n }],
      }),
    ).rejects.toMatchObject({ code: 'INVOICE.NEGATIVE_TOTAL', details: { field: 'lines' } });
    const draft = await createInvoiceDraft(t.app, w.actor, {
      subscriberId: sub,
      lines: [{ kind: 'plan', description: 'Month', unitPriceMinor: 100n }],
    });
    // The finalising transaction fails after taking a number: the number goes back.
    await expect(
      t.app.db.transaction(async (tx) => {
        expect((await finaliseInTx(tx, w.actor.tenantId, draft.id)).number).toBe(2n);
        throw new Error('crash after numbering');
      }),
    ).rejects.toThrow('crash after numbering');
    expect((await getInvoice(t.app, w.actor, draft.id)).status).toBe('draft');
    const second = await w.invoice(sub, 700n);
    expect(second.number).toBe(2n);
    expect((await getInvoice(t.app, w.actor, second.id)).displayNumber).toBe('KA/000002');
    expect((await other.invoice(await other.newSubscriber(), 100n)).number).toBe(1n);
    await expect(finaliseInvoice(t.app, w.actor, second.id)).rejects.toMatchObject({
      code: 'INVOICE.NOT_DRAFT',
    });
  });

  it('records each line’s tax rate and rounds per line', async () => {
    const w = await billingWorld(t);
    await updateBillingSettings(t.app, w.actor, {
      taxRates: [{ id: 'vat', name: 'VAT 16%', rateBps: 1600, inclusive: true }],
    });
    const sub = await w.newSubscriber();
    const draft = await createInvoiceDraft(t.app, w.actor, {
      subscriberId: sub,
      lines: [
        { kind: 'plan', description: 'Home 10M', unitPriceMinor: 250_000n, taxRateId: 'vat' },
        {
          kind: 'installation',
          description: 'Installation',
          unitPriceMinor: 99n,
          quantity: 3,
          taxRateId: 'vat',
        },
        { kind: 'discount', description: 'Welcome', unitPriceMinor: -10_000n },
      ],
    });
    const inv = await getInvoice(t.app, w.actor, draft.id);
    expect(inv.lines.map((l) => [l.netMinor, l.taxMinor, l.totalMinor])).toEqual([
      [215_517n, 34_483n, 250_000n],
      [256n, 41n, 297n],
      [-10_000n, 0n, -10_000n],
    ]);
    expect(inv.totalMinor).toBe(240_297n);
    expect(inv.subtotalMinor + inv.taxMinor).toBe(inv.totalMinor);
    expect(inv.lines[0]).toMatchObject({ taxName: 'VAT 16%', taxRateBps: 1600, taxInclusive: true });
    await expect(
      createInvoiceDraft(t.app, w.actor, {
        subscriberId: sub,
        lines: [{ kind: 'plan', description: 'x', unitPriceMinor: 1n, taxRateId: 'nope' }],
      }),
    ).rejects.toMatchObject({ code: 'BILLING.UNKNOWN_TAX_RATE', details: { field: 'taxRateId' } });
  });
});
