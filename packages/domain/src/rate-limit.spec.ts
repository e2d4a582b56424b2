import { describe, expect, it } from 'vitest';
import { formatRate, mikrotikRateLimit, parseRate } from './rate-limit.ts';

describe('Mikrotik-Rate-Limit', () => {
  it('puts the client upload first (rx/tx from the router side)', () => {
    expect(mikrotikRateLimit({ downloadBps: 10_000_000, uploadBps: 2_000_000 })).toBe('2M/10M');
  });

  it('adds burst rate, threshold and time when the plan has a burst', () => {
    const s = mikrotikRateLimit({
      downloadBps: 4_000_000,
      uploadBps: 1_000_000,
      burst: {
        downloadBps: 8_000_000,
        uploadBps: 2_000_000,
        thresholdDownloadBps: 3_000_000,
        thresholdUploadBps: 750_000,
        timeSeconds: 16,
      },
    });
    expect(s).toBe('1M/4M 2M/8M 750k/3M 16/16');
  });

  it('round-trips operator input', () => {
    expect(parseRate('2.5M')).toBe(2_500_000);
    expect(parseRate('512k')).toBe(512_000);
    expect(formatRate(1500)).toBe('1500');
    expect(() => parseRate('fast')).toThrow(/not a rate/);
  });
});
