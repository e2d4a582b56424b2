import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelay } from './backoff.ts';

describe('retry backoff', () => {
  it('doubles from 1–2 s per failure, with jitter of up to half the delay', () => {
    const low = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, () => 0));
    const high = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, () => 1));
    expect(low).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(high).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
  });

  it('never waits more than five minutes, however long the outage', () => {
    expect(backoffDelay(9, () => 1)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(1_000, () => 1)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(1_000, () => 0)).toBe(BACKOFF_CAP_MS / 2);
  });

  it('spreads phones that failed together across the window', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(8_000);
  });
});
