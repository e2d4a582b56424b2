import { describe, expect, it } from 'vitest';
import type { SaleRecord } from './agent-db.ts';
import { todayFigures } from './today.ts';

const now = new Date(2026, 10, 22, 15, 0);
const sale = (hoursAgo: number, status: SaleRecord['status'], amountMinor = '2000'): SaleRecord => ({
  saleId: crypto.randomUUID(),
  seq: 1,
  code: 'ABCD2345X',
  planName: 'Hour',
  validityText: '1 hour',
  amountMinor,
  currency: 'KES',
  buyerPhone: null,
  soldAt: new Date(now.getTime() - hoursAgo * 3_600_000).toISOString(),
  signature: '',
  status,
  syncedAt: null,
  reason: null,
});

describe("today's figures", () => {
  it('count every sale since local midnight, synced or not', () => {
    const f = todayFigures(
      [sale(1, 'synced'), sale(2, 'pending'), sale(3, 'rejected'), sale(20, 'synced')],
      null,
      0,
      now,
    );
    expect(f.count).toBe(3);
    expect(f.cash.get('KES')).toBe(6000n);
    expect(f.pending).toBe(1);
    expect(f.rejected).toBe(1);
    expect(f.owed).toBeNull();
  });

  it("add unsynced sales, less commission, to Kasi's last figure for what is owed", () => {
    const server = {
      fetchedAt: now.toISOString(),
      salesCount: 1,
      salesMinor: '2000',
      owedMinor: '1900',
      currency: 'KES',
    };
    const f = todayFigures(
      [sale(1, 'synced'), sale(2, 'pending'), sale(30, 'pending', '999')],
      server,
      500,
      now,
    );
    // 1900 + (2000 − 100) + (999 − 49)
    expect(f.owed).toEqual({ amountMinor: 4750n, currency: 'KES', asOf: now.toISOString() });
  });
});
