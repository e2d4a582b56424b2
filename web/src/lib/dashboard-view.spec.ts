import { describe, expect, it, vi } from 'vitest';

vi.mock('$app/paths', () => ({ resolve: (p: string) => p.replace('/(app)', '') }));
const { barsOf, clock, onlineSummary } = await import('./dashboard-view.ts');

describe('dashboard view', () => {
  it('draws bars relative to the longest, in integers, never hiding a small non-zero amount', () => {
    const bars = barsOf([
      { label: 'a', minor: 1_000_000n, text: 'A' },
      { label: 'b', minor: 1n, text: 'B' },
      { label: 'c', minor: 0n, text: 'C' },
    ]);
    expect(bars.map((b) => b.percent)).toEqual([100, 1, 0]);
  });

  it('draws nothing when everything is zero', () => {
    expect(barsOf([{ label: 'a', minor: 0n, text: '0' }])[0]?.percent).toBe(0);
  });

  it('tells the time in the tenant’s zone', () => {
    // 22:30 UTC is 01:30 in Nairobi.
    expect(clock(Date.UTC(2026, 11, 6, 22, 30) / 1000, 'Africa/Nairobi')).toBe('01:30');
  });

  it('summarises the 24-hour plot in words', () => {
    const at = Date.UTC(2026, 11, 7, 9, 0) / 1000;
    const text = onlineSummary({
      timezone: 'Africa/Nairobi',
      onlineNow: 3,
      online24h: [
        { at, users: 1 },
        { at: at + 900, users: 5 },
        { at: at + 1800, users: 3 },
      ],
    } as never);
    expect(text).toBe('Last 24 hours: at most 5 online (at 12:15), at least 1; 3 now.');
  });
});
