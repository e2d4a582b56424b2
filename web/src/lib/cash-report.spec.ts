import { describe, expect, it } from 'vitest';
import {
  formatSums,
  reportedDiffers,
  summariseSales,
  totalByCurrency,
  type SaleLine,
} from './cash-report.ts';

const line = (over: Partial<SaleLine>): SaleLine => ({
  day: '2026-03-01',
  agentId: 'a1',
  agentName: 'Amina',
  planId: 'p1',
  planName: 'Hour',
  currency: 'KES',
  count: 1,
  faceMinor: 2000n,
  reportedMinor: 2000n,
  ...over,
});

const lines = [
  line({ day: '2026-03-02', count: 2, faceMinor: 4000n, reportedMinor: 4000n }),
  line({ day: '2026-03-01', agentId: 'b2', agentName: 'Baraka', count: 1 }),
  line({
    day: '2026-03-01',
    planId: 'p2',
    planName: 'Day',
    count: 3,
    faceMinor: 30000n,
    reportedMinor: 29000n,
  }),
];

describe('summariseSales', () => {
  it('totals sales per agent, alphabetically', () => {
    const { groups, total } = summariseSales(lines, 'agent');
    expect(groups.map((g) => [g.label, g.count, g.sums[0]?.faceMinor])).toEqual([
      ['Amina', 5, 34000n],
      ['Baraka', 1, 2000n],
    ]);
    expect(total).toEqual({
      count: 6,
      sums: [{ currency: 'KES', faceMinor: 36000n, reportedMinor: 35000n }],
    });
  });

  it('totals sales per day in calendar order', () => {
    const { groups } = summariseSales(lines, 'day');
    expect(groups.map((g) => [g.label, g.count, g.sums[0]?.faceMinor])).toEqual([
      ['2026-03-01', 4, 32000n],
      ['2026-03-02', 2, 4000n],
    ]);
  });

  it('totals sales per plan and keeps two plans of one name apart', () => {
    const twin = line({ planId: 'p3', planName: 'Hour', count: 7, faceMinor: 7n, reportedMinor: 7n });
    const { groups } = summariseSales([...lines, twin], 'plan');
    expect(groups.map((g) => [g.label, g.count])).toEqual([
      ['Day', 3],
      ['Hour', 3],
      ['Hour', 7],
    ]);
  });

  it('keeps currencies apart instead of adding them', () => {
    const { total } = summariseSales(
      [line({}), line({ currency: 'USD', faceMinor: 150n, reportedMinor: 150n })],
      'day',
    );
    expect(total.sums.map((s) => [s.currency, s.faceMinor])).toEqual([
      ['KES', 2000n],
      ['USD', 150n],
    ]);
    expect(formatSums(total.sums, 'faceMinor')).toBe('20.00 KES + 1.50 USD');
  });

  it('is empty for no sales', () => {
    expect(summariseSales([], 'agent')).toEqual({ groups: [], total: { count: 0, sums: [] } });
    expect(formatSums([], 'faceMinor')).toBe('—');
  });
});

describe('money columns', () => {
  it('flags groups where buyers paid other than the lease price', () => {
    expect(reportedDiffers(summariseSales(lines, 'plan').total.sums)).toBe(true);
    expect(reportedDiffers(summariseSales(lines.slice(0, 2), 'plan').total.sums)).toBe(false);
  });

  it('totals what agents owe per currency, exactly', () => {
    const rows = [
      { currency: 'KES', outstandingMinor: 9_007_199_254_740_993n },
      { currency: 'KES', outstandingMinor: -3n },
      { currency: 'UGX', outstandingMinor: 500n },
    ];
    expect(totalByCurrency(rows, (r) => r.outstandingMinor)).toEqual([
      { currency: 'KES', amountMinor: 9_007_199_254_740_990n },
      { currency: 'UGX', amountMinor: 500n },
    ]);
  });
});
