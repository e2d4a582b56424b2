import { describe, expect, it } from 'vitest';
import { describeReason, reportedSale, toResolveInput } from './conflict-view.ts';

const ID = '0198c0de-0000-7000-8000-000000000001';

describe('conflict view', () => {
  it('names every reason in words and falls back for new ones', () => {
    expect(describeReason('already_sold').title).toBe('Sold twice');
    expect(describeReason('something_new')).toEqual({
      title: 'something_new',
      advice: 'Kasi flagged this sale.',
    });
  });

  it('reads the reported sale from the stored op, ignoring junk', () => {
    const payload = {
      op: { amountMinor: '2000', currency: 'KES', soldAt: '2026-03-01T10:00:00.000Z', buyerPhone: null },
      found: {},
    };
    expect(reportedSale(payload)).toEqual({
      amountMinor: 2000n,
      currency: 'KES',
      soldAt: new Date('2026-03-01T10:00:00.000Z'),
      buyerPhone: null,
    });
    expect(reportedSale({ op: { amountMinor: 12.5, soldAt: 'yesterday' } })).toEqual({
      amountMinor: null,
      currency: null,
      soldAt: null,
      buyerPhone: null,
    });
    expect(reportedSale(null).amountMinor).toBeNull();
  });

  it('needs a note; a charge is optional and exact', () => {
    expect(toResolveInput(ID, { note: 'Agent pays', charge: '', currency: 'KES' })).toEqual({
      ok: true,
      value: { id: ID, note: 'Agent pays' },
    });
    expect(toResolveInput(ID, { note: 'Agent pays', charge: '20.00', currency: 'KES' })).toEqual({
      ok: true,
      value: { id: ID, note: 'Agent pays', chargeMinor: 2000n },
    });
    const bad = toResolveInput(ID, { note: ' ', charge: '1.001', currency: 'KES' });
    expect(bad.ok ? null : bad.errors).toEqual({ note: 'Required', chargeMinor: 'KES has 2 decimal places' });
  });
});
