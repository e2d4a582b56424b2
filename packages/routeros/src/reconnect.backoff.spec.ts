import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay } from './reconnect.backoff.ts';

const policy = { ...DEFAULT_BACKOFF, baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelay', () => {
  it('connects at once when nothing has failed yet', () => {
    expect(backoffDelay(0, policy, () => 0.99)).toBe(0);
  });

  it('doubles the cap with each consecutive failure', () => {
    const top = (failures: number) => backoffDelay(failures, policy, () => 0.999999);
    expect([top(1), top(2), top(3), top(4)]).toEqual([99, 199, 399, 799]);
  });

  it('never waits longer than maxDelayMs, however many failures', () => {
    expect(backoffDelay(50, policy, () => 0.999999)).toBe(999);
    expect(backoffDelay(5000, policy, () => 0.999999)).toBe(999);
  });

  it('spreads waits over the whole range (full jitter)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
  });
});
