import { describe, expect, it } from 'vitest';
import { emptyPlanFields, toPlanInput, type PlanFields } from './plan-form.ts';

const filled = (overrides: Partial<PlanFields> = {}): PlanFields => ({
  ...emptyPlanFields(),
  name: 'Week 5 GB',
  downloadBps: '10',
  uploadBps: '512k',
  priceMinor: '250.50',
  ...overrides,
});

describe('toPlanInput', () => {
  it('reads a bare speed as Mbps and RouterOS notation as written', () => {
    const parsed = toPlanInput(filled({ uploadBps: '2.5M' }), 'KES');
    expect(parsed.ok && [parsed.value.downloadBps, parsed.value.uploadBps]).toEqual([10_000_000, 2_500_000]);
  });

  it('turns a decimal price into exact minor units for the currency', () => {
    const kes = toPlanInput(filled({ priceMinor: '250.50' }), 'KES');
    const ugx = toPlanInput(filled({ priceMinor: '5000' }), 'UGX');
    expect(kes.ok && kes.value.priceMinor).toBe(25_050n);
    expect(ugx.ok && ugx.value.priceMinor).toBe(5_000n);
  });

  it('converts validity and quota units without floating point', () => {
    const parsed = toPlanInput(
      filled({ validitySeconds: '1.5', validityUnit: 'hours', dataQuotaBytes: '1.5', quotaUnit: 'GiB' }),
      'KES',
    );
    expect(parsed.ok && parsed.value.validitySeconds).toBe(5_400);
    expect(parsed.ok && parsed.value.dataQuotaBytes).toBe(1_610_612_736n);
  });

  it('treats empty validity and quota as no limit', () => {
    const parsed = toPlanInput(filled({ validitySeconds: '', dataQuotaBytes: ' ' }), 'KES');
    expect(parsed.ok && [parsed.value.validitySeconds, parsed.value.dataQuotaBytes]).toEqual([null, null]);
  });

  it('reports each wrong field in words a person understands', () => {
    const parsed = toPlanInput(
      filled({ name: ' ', downloadBps: '', uploadBps: 'fast', priceMinor: '1.234', sharedUsers: '0' }),
      'KES',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({
      name: 'Required',
      downloadBps: 'Required',
      uploadBps: '"fast" is not a rate like 10M or 512k',
      priceMinor: 'KES has 2 decimal places',
      sharedUsers: 'At least 1',
    });
  });

  it('explains that a validity must be more than zero', () => {
    const parsed = toPlanInput(filled({ validitySeconds: '0' }), 'KES');
    expect(!parsed.ok && parsed.errors['validitySeconds']).toBe('More than 0');
  });

  it('keeps the schema’s own message for speeds below the minimum', () => {
    const parsed = toPlanInput(filled({ downloadBps: '1k' }), 'KES');
    expect(!parsed.ok && parsed.errors['downloadBps']).toBe('At least 8k');
  });

  it('carries billing terms: a period, prepaid or postpaid, an optional installation fee', () => {
    const parsed = toPlanInput(
      filled({
        billingPeriodCount: '30',
        billingPeriodUnit: 'day',
        billingMode: 'postpaid',
        installationFee: '1500',
      }),
      'KES',
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        billingPeriodCount: 30,
        billingPeriodUnit: 'day',
        billingMode: 'postpaid',
        installationFeeMinor: 150_000n,
      },
    });
    expect(toPlanInput(filled({}), 'KES')).toMatchObject({
      ok: true,
      value: { installationFeeMinor: null, audience: 'both' },
    });
    expect(toPlanInput(filled({ billingPeriodCount: '0' }), 'KES')).toMatchObject({
      ok: false,
      errors: { billingPeriodCount: expect.any(String) },
    });
  });
});
