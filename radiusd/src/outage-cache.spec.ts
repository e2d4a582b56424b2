import { describe, expect, it } from 'vitest';
import type { PlanLimits } from '@kasi/domain';
import { OutageCache, type Credential } from './credential-lookup.ts';

const plan: PlanLimits = {
  speed: { downloadBps: 1, uploadBps: 1, burst: null },
  validitySeconds: null,
  timeQuotaSeconds: null,
  dataQuotaBytes: null,
  sharedUsers: 1,
  idleTimeoutSeconds: null,
  interimIntervalSeconds: 300,
  addressPool: null,
};

const voucher = (usedSeconds: number, firstUsedAt: Date | null = new Date(1000)): Credential => ({
  kind: 'voucher',
  voucher: {
    id: 'v1',
    status: 'active',
    locked: false,
    firstUsedAt,
    expiresAt: null,
    usedSeconds,
    usedOctets: 0n,
  },
  plan,
  open: 0,
  password: 'CODE',
});

describe('OutageCache', () => {
  it('keeps the remembered object while lookups say nothing new, and takes a changed one', () => {
    const cache = new OutageCache(60_000);
    const first = voucher(10);
    cache.remember('k', first, 0);
    cache.remember('k', voucher(10, new Date(1000)), 1);
    expect(cache.recall('k', 2)).toBe(first);
    const changed = voucher(11);
    cache.remember('k', changed, 3);
    expect(cache.recall('k', 4)).toBe(changed);
    cache.remember('k', voucher(11, null), 5);
    expect(cache.recall('k', 6)?.kind === 'voucher' && cache.recall('k', 6)).toMatchObject({
      voucher: { firstUsedAt: null },
    });
  });

  it('forgets entries older than the outage window, counted from the last sighting', () => {
    const cache = new OutageCache(100);
    cache.remember('k', voucher(1), 0);
    cache.remember('k', voucher(1), 50);
    expect(cache.recall('k', 150)).toBeDefined();
    expect(cache.recall('k', 151)).toBeUndefined();
    expect(cache.stats).toEqual({ hits: 1, misses: 1 });
  });

  it('evicts the oldest entry past its size limit', () => {
    const cache = new OutageCache(1_000, 2);
    cache.remember('a', voucher(1), 0);
    cache.remember('b', voucher(1), 0);
    cache.remember('c', voucher(1), 0);
    expect(cache.size).toBe(2);
    expect(cache.recall('a', 1)).toBeUndefined();
    expect(cache.recall('c', 1)).toBeDefined();
  });
});
