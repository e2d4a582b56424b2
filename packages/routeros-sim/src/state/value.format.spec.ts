import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration } from './value.format.ts';

describe('RouterOS value forms', () => {
  it('writes durations the way the API does', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59)).toBe('59s');
    expect(formatDuration(93784)).toBe('1d2h3m4s');
    expect(formatDuration(694861)).toBe('1w1d1h1m1s');
    expect(formatDuration(3600)).toBe('1h');
  });

  it('writes dates in the 7.10+ form and in the older month/day/year form', () => {
    const t = Date.UTC(2025, 0, 5, 7, 8, 9);
    expect(formatDateTime(t, { iso: true })).toBe('2025-01-05 07:08:09');
    expect(formatDateTime(t, { iso: false })).toBe('jan/05/2025 07:08:09');
    expect(formatDateTime(t, { iso: false, capitalMonth: true })).toBe('Jan/05/2025 07:08:09');
  });
});
