import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

const opts = { baseMs: 1000, maxMs: 60_000 };

describe('retry backoff', () => {
  it('doubles per attempt between half and all of the exponential delay', () => {
    expect(retryDelayMs(1, opts, () => 0)).toBe(500);
    expect(retryDelayMs(1, opts, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(3, opts, () => 0)).toBe(2000);
    expect(retryDelayMs(3, opts, () => 0.5)).toBe(3000);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    for (const attempt of [7, 20, 500]) {
      expect(retryDelayMs(attempt, opts, () => 0.999999)).toBeLessThanOrEqual(60_000);
      expect(retryDelayMs(attempt, opts, () => 0)).toBe(30_000);
    }
  });

  it('spreads jobs that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(4, opts)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
