import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPlanSpeed, formatPrice, formatQuota } from './format.ts';

describe('plan formatting', () => {
  it('shows download then upload with arrows', () => {
    expect(formatPlanSpeed({ downloadBps: 10_000_000, uploadBps: 2_000_000 })).toBe('10 Mbps ↓ / 2 Mbps ↑');
    expect(formatPlanSpeed({ downloadBps: 1_500_000_000, uploadBps: 512_000 })).toBe(
      '1.5 Gbps ↓ / 512 kbps ↑',
    );
  });

  it('names durations in days, hours and minutes', () => {
    expect(formatDuration(7 * 86_400)).toBe('7 days');
    expect(formatDuration(86_400 + 2 * 3_600 + 60)).toBe('1 day 2 hours 1 minute');
    expect(formatDuration(null)).toBe('No time limit');
  });

  it('shows quotas in the same binary units the form uses, named as binary', () => {
    expect(formatQuota(5n * 1024n ** 3n)).toBe('5 GiB');
    expect(formatQuota(500n * 1024n ** 2n)).toBe('500 MiB');
    expect(formatQuota(null)).toBe('Unlimited data');
  });

  it('never calls 1024² bytes "MB" (a million bytes is 0.95 MiB)', () => {
    expect(formatBytes(1_000_000)).toBe('976.56 KiB');
    expect(formatBytes(1024 ** 2)).toBe('1 MiB');
    expect(formatBytes(1.5 * 1024 ** 4)).toBe('1.5 TiB');
    expect(formatBytes(512)).toBe('512 bytes');
  });

  it('formats prices from minor units', () => {
    expect(formatPrice({ priceMinor: 25_050n, currency: 'KES' })).toBe('250.50 KES');
  });
});
