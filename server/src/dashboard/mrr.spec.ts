import { describe, expect, it } from 'vitest';
import { monthlyRecurringMinor } from './mrr.ts';

describe('monthly recurring revenue', () => {
  it('is zero without active subscribers', () => {
    expect(monthlyRecurringMinor([])).toBe(0n);
  });

  it('counts a monthly plan at its price per subscriber', () => {
    expect(monthlyRecurringMinor([{ priceMinor: 250_000n, unit: 'month', count: 1, subscribers: 3 }])).toBe(
      750_000n,
    );
  });

  it('spreads longer periods and converts weeks and days by the year, rounding once', () => {
    const mrr = monthlyRecurringMinor([
      { priceMinor: 300_000n, unit: 'month', count: 3, subscribers: 1 }, // 100 000
      { priceMinor: 1_000n, unit: 'week', count: 1, subscribers: 1 }, // 52 000 / 12 = 4 333.33…
      { priceMinor: 100n, unit: 'day', count: 1, subscribers: 1 }, // 36 500 / 12 = 3 041.66…
    ]);
    // 100 000 + 4 333.33… + 3 041.66… = 107 375 exactly: no rounding drift from adding rounded parts.
    expect(mrr).toBe(107_375n);
  });

  it('rounds a half up', () => {
    expect(monthlyRecurringMinor([{ priceMinor: 1n, unit: 'month', count: 2, subscribers: 1 }])).toBe(1n);
    expect(monthlyRecurringMinor([{ priceMinor: 1n, unit: 'month', count: 3, subscribers: 1 }])).toBe(0n);
  });
});
