import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWellFormedVoucherCode } from '@kasi/domain';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import {
  createVoucherBatch,
  listBatchVouchers,
  listVoucherBatches,
  voidVouchers,
} from './voucher.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const planInput = {
  name: 'Hour',
  downloadBps: 5_000_000,
  uploadBps: 1_000_000,
  validitySeconds: 3600,
  priceMinor: 2000n,
  currency: 'KES',
};

describe('voucher batches', () => {
  it('generates distinct, well-formed codes for a plan', async () => {
    const { actor } = await t.newTenant();
    const plan = await createPlan(t.app, actor, planInput);
    const batch = await createVoucherBatch(t.app, actor, {
      planId: plan.id,
      quantity: 250,
      codeLength: 8,
      prefix: 'KA',
    });
    const { total, rows } = await listBatchVouchers(t.app, actor, batch.id, { limit: 1000, offset: 0 });
    expect(total).toBe(250);
    expect(new Set(rows.map((r) => r.code)).size).toBe(250);
    for (const r of rows) {
      expect(r.code.startsWith('KA')).toBe(true);
      expect(isWellFormedVoucherCode(r.code)).toBe(true);
      expect(r.status).toBe('generated');
    }
    expect((await listVoucherBatches(t.app, actor)).map((b) => b.batch.id)).toEqual([batch.id]);
  });

  it('will not make a batch for another tenant’s plan, nor show or void its codes', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    const plan = await createPlan(t.app, a.actor, planInput);
    await expect(createVoucherBatch(t.app, b.actor, { planId: plan.id, quantity: 1 })).rejects.toMatchObject({
      code: 'PLAN.NOT_FOUND',
    });
    const batch = await createVoucherBatch(t.app, a.actor, { planId: plan.id, quantity: 3 });
    await expect(listBatchVouchers(t.app, b.actor, batch.id, { limit: 10, offset: 0 })).rejects.toMatchObject(
      { code: 'VOUCHER_BATCH.NOT_FOUND' },
    );
    const { rows } = await listBatchVouchers(t.app, a.actor, batch.id, { limit: 10, offset: 0 });
    expect(
      await voidVouchers(
        t.app,
        b.actor,
        rows.map((r) => r.id),
      ),
    ).toBe(0);
    expect(
      await voidVouchers(
        t.app,
        a.actor,
        rows.map((r) => r.id),
      ),
    ).toBe(3);
  });

  it('rejects batch sizes out of range with a typed error and writes nothing', async () => {
    const { actor } = await t.newTenant();
    const plan = await createPlan(t.app, actor, planInput);
    await expect(createVoucherBatch(t.app, actor, { planId: plan.id, quantity: 0 })).rejects.toThrow();
    await expect(createVoucherBatch(t.app, actor, { planId: plan.id, quantity: 100_001 })).rejects.toThrow();
    expect(await listVoucherBatches(t.app, actor)).toEqual([]);
  });
});
