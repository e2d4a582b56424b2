import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { getBillingSettings, updateBillingSettings } from './billing-settings.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('billing settings', () => {
  it('start from defaults with the tenant’s time zone and currency, and save a patch with an audit row', async () => {
    const { actor } = await t.newTenant({ currency: 'UGX' });
    expect(await getBillingSettings(t.app, actor)).toMatchObject({
      billingDay: null,
      graceDays: 3,
      invoicePrefix: 'INV-',
      effectiveTimezone: 'UTC',
      currency: 'UGX',
    });
    const saved = await updateBillingSettings(t.app, actor, {
      timezone: 'Africa/Kampala',
      billingDay: 1,
      taxRates: [{ id: 'vat', name: 'VAT 18%', rateBps: 1800, inclusive: false }],
      defaultTaxRateId: 'vat',
      approvalThresholdMinor: 100_000n,
    });
    expect(saved).toMatchObject({ effectiveTimezone: 'Africa/Kampala', billingDay: 1, graceDays: 3 });
    const audit = await t.app.db.select().from(auditLog).where(eq(auditLog.action, 'billing.settings'));
    expect(audit.filter((a) => a.tenantId === actor.tenantId)).toHaveLength(1);
  });

  it('refuses a bad time zone, a day past 28, an unknown default rate, and viewers', async () => {
    const { actor } = await t.newTenant();
    await expect(updateBillingSettings(t.app, actor, { timezone: 'Mars/Olympus' })).rejects.toThrow(
      /time zone/,
    );
    await expect(updateBillingSettings(t.app, actor, { billingDay: 31 })).rejects.toThrow();
    await expect(updateBillingSettings(t.app, actor, { defaultTaxRateId: 'vat' })).rejects.toMatchObject({
      code: 'BILLING.UNKNOWN_TAX_RATE',
      details: { field: 'defaultTaxRateId' },
    });
    await expect(
      updateBillingSettings(t.app, { ...actor, role: 'viewer' }, { graceDays: 1 }),
    ).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
    expect((await getBillingSettings(t.app, { ...actor, role: 'viewer' })).graceDays).toBe(3);
  });
});
