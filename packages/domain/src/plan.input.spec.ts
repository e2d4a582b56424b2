import { describe, expect, it } from 'vitest';
import { planInput, planPatch } from './plan.input.ts';

describe('plan input', () => {
  it('fills defaults for a new plan', () => {
    const v = planInput.parse({
      name: 'x',
      downloadBps: 1_000_000,
      uploadBps: 1_000_000,
      priceMinor: 1n,
      currency: 'KES',
    });
    expect(v).toMatchObject({
      sharedUsers: 1,
      interimIntervalSeconds: 300,
      exhaustedAction: 'reject',
      validitySeconds: null,
    });
  });

  it('keeps a patch to the fields it names (no defaults sneak in)', () => {
    expect(planPatch.parse({ name: 'renamed' })).toEqual({ name: 'renamed' });
  });

  it('explains bad input', () => {
    const r = planInput.safeParse({
      name: '',
      downloadBps: 10,
      uploadBps: 1.5,
      priceMinor: -1n,
      currency: 'kes',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0]).sort()).toEqual([
      'currency',
      'downloadBps',
      'name',
      'priceMinor',
      'uploadBps',
    ]);
  });

  it('defaults billing terms to a prepaid month for vouchers and subscribers, and checks them', () => {
    const base = {
      name: 'Home',
      downloadBps: 10_000_000,
      uploadBps: 2_000_000,
      priceMinor: 1n,
      currency: 'KES',
    };
    expect(planInput.parse(base)).toMatchObject({
      audience: 'both',
      billingPeriodUnit: 'month',
      billingPeriodCount: 1,
      billingMode: 'prepaid',
      installationFeeMinor: null,
    });
    const r = planInput.safeParse({
      ...base,
      billingPeriodUnit: 'year',
      billingPeriodCount: 0,
      installationFeeMinor: 0n,
    });
    expect(r.error?.issues.map((i) => i.path[0]).sort()).toEqual([
      'billingPeriodCount',
      'billingPeriodUnit',
      'installationFeeMinor',
    ]);
  });
});
