import { describe, expect, it } from 'vitest';
import type { SaleRecord } from './agent-db.ts';
import { receiptFor } from './receipt.ts';

const SALE: SaleRecord = {
  saleId: '0192f0c4-7a00-7000-8000-00000000abcd',
  seq: 12,
  code: 'ABCDEFGH2',
  planName: 'Hour',
  validityText: '1 hour',
  amountMinor: '2000',
  currency: 'KES',
  buyerPhone: null,
  soldAt: '2026-11-22T08:30:00.000Z',
  signature: 'x',
  status: 'pending',
  syncedAt: null,
  reason: null,
};

describe('a sale receipt', () => {
  it('carries the operator, the grouped code, plan, price and a reference', () => {
    const r = receiptFor(SALE, 'Acme WISP', 'en-GB');
    expect(r).toMatchObject({
      brand: 'Acme WISP',
      code: 'ABCD-EFGH-2',
      plan: 'Hour · 1 hour',
      reference: 'Sale 12 · 0000abcd',
    });
    expect(r.price).toContain('20.00');
    expect(r.soldAt).toContain('2026');
  });

  it('prints a plain title when the phone has no operator name', () => {
    expect(receiptFor(SALE, '  ').brand).toBe('Internet voucher');
  });
});
