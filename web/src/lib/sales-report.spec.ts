import { describe, expect, it } from 'vitest';
import { totalSales, type SalesRow } from './sales-report.ts';

const row = (over: Partial<SalesRow>): SalesRow => ({
  day: '2026-12-07',
  channel: 'agent',
  planName: 'Hour',
  agentName: 'Amina',
  currency: 'KES',
  count: 1,
  amountMinor: 2000n,
  ...over,
});

describe('sales report totals', () => {
  const rows = [
    row({}),
    row({ agentName: 'Baraka', count: 2, amountMinor: 4000n }),
    row({ channel: 'printed', agentName: null, day: '2026-12-06' }),
    row({ channel: 'payments', planName: null, agentName: null, amountMinor: 150_000n }),
  ];

  it('totals by channel in exact minor units', () => {
    expect(totalSales(rows, 'channel')).toEqual([
      { key: 'agent', label: 'Agent sales', count: 3, amounts: ['60.00 KES'] },
      { key: 'printed', label: 'Printed cards activated', count: 1, amounts: ['20.00 KES'] },
      { key: 'payments', label: 'Subscriber payments', count: 1, amounts: ['1500.00 KES'] },
    ]);
  });

  it('orders days by date and names rows without a plan or agent', () => {
    expect(totalSales(rows, 'day').map((l) => [l.label, l.count])).toEqual([
      ['2026-12-06', 1],
      ['2026-12-07', 4],
    ]);
    expect(totalSales(rows, 'plan').map((l) => l.label)).toEqual(['Hour', 'No plan (payments)']);
  });

  it('keeps currencies apart', () => {
    const mixed = totalSales([row({}), row({ currency: 'UGX', amountMinor: 5000n })], 'agent');
    expect(mixed[0]?.amounts).toEqual(['20.00 KES', '5000 UGX']);
  });
});
