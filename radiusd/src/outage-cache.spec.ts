import { describe, expect, it } from 'vitest';
import type { PlanLimits } from '@kasi/domain';
import type { Credential } from './credential-lookup.ts';
import { OutageCache } from './outage-cache.ts';

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

const TENANT = '0b7e6d7c-1f3a-4c55-9a1e-2d3c4b5a6f70';
const ID = '9f1c2e3d-4b5a-4678-8a9b-0c1d2e3f4a5b';

const voucher = (over: Partial<Extract<Credential, { kind: 'voucher' }>['voucher']> = {}): Credential => ({
  kind: 'voucher',
  voucher: {
    id: ID,
    status: 'active',
    locked: false,
    firstUsedAt: new Date(1_700_000_000_123),
    expiresAt: null,
    usedSeconds: 10,
    usedOctets: 0n,
    ...over,
  },
  plan,
  open: 0,
  password: 'ABCD2345',
});

const subscriber: Credential = {
  kind: 'subscriber',
  subscriber: {
    id: 'a1',
    status: 'active',
    createdAt: new Date(0),
    expiresAt: null,
    macAddress: null,
    framedIp: null,
  },
  plan,
  open: 1,
  password: 'secret password',
};

describe('OutageCache', () => {
  it('gives back a voucher equal to the one remembered, whatever the case of the user name', () => {
    const cache = new OutageCache(60_000);
    const remembered = voucher({
      status: 'exhausted',
      locked: true,
      expiresAt: new Date(1_800_000_000_000),
      usedSeconds: 3_599,
      usedOctets: 2n ** 40n + 7n,
    });
    cache.remember(TENANT, 'ABCD2345', { ...remembered, open: 3 }, 0);
    expect(cache.recall(TENANT, 'abcd2345', 1)).toEqual({ ...remembered, open: 3 });
    expect(cache.recall(TENANT, 'ABCD2345', 1)).toEqual({ ...remembered, open: 3 });
  });

  it('keeps a credential per tenant', () => {
    const cache = new OutageCache(60_000);
    cache.remember(TENANT, 'ABCD2345', voucher(), 0);
    expect(cache.recall('another-tenant', 'ABCD2345', 1)).toBeUndefined();
  });

  it('takes the latest state of a user, including a null first use', () => {
    const cache = new OutageCache(60_000);
    cache.remember(TENANT, 'ABCD2345', voucher({ usedSeconds: 10 }), 0);
    cache.remember(TENANT, 'ABCD2345', voucher({ usedSeconds: 11, firstUsedAt: null }), 1);
    expect(cache.size).toBe(1);
    expect(cache.recall(TENANT, 'ABCD2345', 2)).toMatchObject({
      voucher: { usedSeconds: 11, firstUsedAt: null },
    });
  });

  it('keeps subscribers and vouchers it cannot store column-wise as they are', () => {
    const cache = new OutageCache(60_000);
    cache.remember(TENANT, 'Alice', subscriber, 0);
    const oddId = voucher({ id: 'not-a-uuid' });
    cache.remember(TENANT, 'ABCD2345', oddId, 0);
    // A voucher whose password is not its normalised code cannot be rebuilt from the name.
    const otherPassword = { ...voucher(), password: 'something else' };
    cache.remember(TENANT, 'EFGH6789', otherPassword, 0);
    expect(cache.recall(TENANT, 'alice', 1)).toBe(subscriber);
    expect(cache.recall(TENANT, 'abcd2345', 1)).toBe(oddId);
    expect(cache.recall(TENANT, 'EFGH6789', 1)).toBe(otherPassword);
    // And a slot switches back to column-wise storage when the shape allows it again.
    cache.remember(TENANT, 'ABCD2345', voucher(), 2);
    expect(cache.recall(TENANT, 'abcd2345', 3)).toEqual(voucher());
  });

  it('forgets entries older than the outage window, counted from the last sighting', () => {
    const cache = new OutageCache(100);
    cache.remember(TENANT, 'ABCD2345', voucher(), 0);
    cache.remember(TENANT, 'ABCD2345', voucher(), 50);
    expect(cache.recall(TENANT, 'ABCD2345', 150)).toBeDefined();
    expect(cache.recall(TENANT, 'ABCD2345', 151)).toBeUndefined();
    expect(cache.stats).toEqual({ hits: 1, misses: 1 });
  });

  it('evicts the oldest entry past its size limit, objects and columns alike', () => {
    const cache = new OutageCache(1_000, 2);
    cache.remember(TENANT, 'Alice', subscriber, 0);
    cache.remember(TENANT, 'ABCD2345', voucher(), 0);
    cache.remember(TENANT, 'EFGH6789', { ...voucher(), password: 'EFGH6789' }, 0);
    expect(cache.size).toBe(2);
    expect(cache.recall(TENANT, 'Alice', 1)).toBeUndefined();
    expect(cache.recall(TENANT, 'ABCD2345', 1)).toBeDefined();
    cache.remember(TENANT, 'JKLM2345', { ...voucher(), password: 'JKLM2345' }, 0);
    expect(cache.recall(TENANT, 'ABCD2345', 1)).toBeUndefined();
    expect(cache.recall(TENANT, 'EFGH6789', 1)).toMatchObject({ password: 'EFGH6789' });
    expect(cache.recall(TENANT, 'JKLM2345', 1)).toMatchObject({ password: 'JKLM2345' });
    expect(cache.size).toBe(2);
  });

  it('grows past its first allocation without losing entries', () => {
    const cache = new OutageCache(1_000, 5_000);
    const code = (i: number) => `CODE${i}`;
    for (let i = 0; i < 3_000; i++) cache.remember(TENANT, code(i), { ...voucher(), password: code(i) }, i);
    expect(cache.size).toBe(3_000);
    expect(cache.recall(TENANT, code(0), 1_000)).toMatchObject({ password: 'CODE0' });
    expect(cache.recall(TENANT, code(2_999), 1_000)).toMatchObject({ password: 'CODE2999' });
  });
});
