import { describe, expect, it } from 'vitest';
import { decideAccess, type AccessInput, type PlanLimits } from './access-policy.ts';

const plan: PlanLimits = {
  speed: { downloadBps: 5_000_000, uploadBps: 1_000_000 },
  validitySeconds: 86_400,
  timeQuotaSeconds: null,
  dataQuotaBytes: null,
  sharedUsers: 1,
  idleTimeoutSeconds: 300,
  interimIntervalSeconds: 300,
  addressPool: null,
};
const now = new Date('2026-11-22T10:00:00Z');
const fresh: AccessInput = {
  plan,
  usage: {
    status: 'sold',
    locked: false,
    firstUsedAt: null,
    expiresAt: null,
    usedSeconds: 0,
    usedOctets: 0n,
  },
  openSessions: 0,
  now,
};

describe('decideAccess', () => {
  it('starts the validity clock at first login', () => {
    const d = decideAccess(fresh);
    expect(d).toMatchObject({ accept: true, grant: { rateLimit: '1M/5M', sessionTimeout: 86_400 } });
    if (d.accept) expect(d.grant.firstUse?.expiresAt?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });

  it('gives the lesser of remaining validity and remaining time quota', () => {
    const d = decideAccess({
      ...fresh,
      plan: { ...plan, timeQuotaSeconds: 3600 },
      usage: {
        ...fresh.usage,
        firstUsedAt: now,
        expiresAt: new Date(now.getTime() + 7200_000),
        usedSeconds: 1000,
      },
    });
    expect(d).toMatchObject({ accept: true, grant: { sessionTimeout: 2600, firstUse: null } });
  });

  it('rejects expired, exhausted, void, locked and over-shared credentials with reasons', () => {
    const past = new Date(now.getTime() - 1000);
    expect(decideAccess({ ...fresh, usage: { ...fresh.usage, firstUsedAt: past, expiresAt: past } })).toEqual(
      { accept: false, reason: 'expired' },
    );
    expect(
      decideAccess({
        ...fresh,
        plan: { ...plan, dataQuotaBytes: 100n },
        usage: { ...fresh.usage, usedOctets: 100n },
      }),
    ).toEqual({ accept: false, reason: 'data_exhausted' });
    expect(
      decideAccess({
        ...fresh,
        plan: { ...plan, timeQuotaSeconds: 60 },
        usage: { ...fresh.usage, usedSeconds: 60 },
      }),
    ).toEqual({ accept: false, reason: 'time_exhausted' });
    expect(decideAccess({ ...fresh, usage: { ...fresh.usage, status: 'void' } })).toEqual({
      accept: false,
      reason: 'void',
    });
    expect(decideAccess({ ...fresh, usage: { ...fresh.usage, locked: true } })).toEqual({
      accept: false,
      reason: 'locked',
    });
    expect(decideAccess({ ...fresh, openSessions: 1 })).toEqual({
      accept: false,
      reason: 'too_many_sessions',
    });
  });

  it('reports remaining data for Mikrotik-Total-Limit', () => {
    const d = decideAccess({
      ...fresh,
      plan: { ...plan, dataQuotaBytes: 5n * 2n ** 32n },
      usage: { ...fresh.usage, usedOctets: 10n },
    });
    expect(d).toMatchObject({ accept: true, grant: { totalLimitBytes: 5n * 2n ** 32n - 10n } });
  });
});

describe('walled garden, suspension and MAC binding', () => {
  const garden: PlanLimits = { ...plan, exhaustedAction: 'walled_garden', walledGardenList: 'unpaid' };

  it('admits an expired credential into the walled garden when the plan says so', () => {
    const past = new Date(now.getTime() - 1000);
    const d = decideAccess({
      ...fresh,
      plan: garden,
      usage: { ...fresh.usage, firstUsedAt: past, expiresAt: past },
    });
    expect(d).toMatchObject({
      accept: true,
      grant: { addressList: 'unpaid', gardenReason: 'expired', sessionTimeout: 3600, firstUse: null },
    });
  });

  it('sends suspended accounts to the garden, but never void, locked or disabled ones', () => {
    expect(
      decideAccess({ ...fresh, plan: garden, usage: { ...fresh.usage, status: 'suspended' } }),
    ).toMatchObject({
      accept: true,
      grant: { gardenReason: 'suspended' },
    });
    expect(decideAccess({ ...fresh, usage: { ...fresh.usage, status: 'suspended' } })).toEqual({
      accept: false,
      reason: 'suspended',
    });
    for (const status of ['void', 'disabled', 'terminated'] as const) {
      expect(decideAccess({ ...fresh, plan: garden, usage: { ...fresh.usage, status } }).accept).toBe(false);
    }
  });

  it('refuses a login from another device when the account is MAC-bound', () => {
    expect(
      decideAccess({ ...fresh, boundMac: 'AA:BB:CC:00:11:22', callingStationId: 'aa-bb-cc-00-11-22' }).accept,
    ).toBe(true);
    expect(
      decideAccess({ ...fresh, boundMac: 'AA:BB:CC:00:11:22', callingStationId: 'aa-bb-cc-00-11-23' }),
    ).toEqual({
      accept: false,
      reason: 'mac_mismatch',
    });
  });
});
