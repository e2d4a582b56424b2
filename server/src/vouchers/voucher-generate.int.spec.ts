import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { voucherBatches, vouchers } from '@kasi/db';
import { generateVoucherCodes, isWellFormedVoucherCode } from '@kasi/domain';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createVoucherBatch } from './voucher.service.ts';
import { insertBatchCodes } from './voucher-generate.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function newBatch() {
  const { actor } = await t.newTenant();
  const plan = await createPlan(t.app, actor, {
    name: 'Day',
    downloadBps: 1_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 86_400,
    priceMinor: 100n,
    currency: 'KES',
  });
  const old = await createVoucherBatch(t.app, actor, { planId: plan.id, quantity: 30 });
  const [batch] = await t.app.db
    .insert(voucherBatches)
    .values({ tenantId: actor.tenantId, planId: plan.id, name: 'new', quantity: 25, codeLength: 8 })
    .returning();
  const taken = await t.app.db
    .select({ code: vouchers.code })
    .from(vouchers)
    .where(eq(vouchers.batchId, old.id));
  return { batch: batch!, taken: taken.map((v) => v.code) };
}

const codesOf = (batchId: string) =>
  t.app.db.select({ code: vouchers.code }).from(vouchers).where(eq(vouchers.batchId, batchId));

describe('inserting a batch of codes', () => {
  it('draws again for codes that collide with older ones until the batch is full', async () => {
    const { batch, taken } = await newBatch();
    const draws: number[] = [];
    // The first draw repeats ten codes another batch already holds.
    const draw: typeof generateVoucherCodes = (n, format) => {
      draws.push(n);
      const fresh = generateVoucherCodes(n, format);
      return draws.length === 1 ? [...taken.slice(0, 10), ...fresh.slice(10)] : fresh;
    };
    await t.app.db.transaction((tx) => insertBatchCodes(tx, batch, 25, { draw }));
    expect(draws).toEqual([25, 10]);
    const codes = (await codesOf(batch.id)).map((v) => v.code);
    expect(new Set(codes).size).toBe(25);
    expect(codes.filter((c) => taken.includes(c))).toEqual([]);
    expect(codes.every(isWellFormedVoucherCode)).toBe(true);
  });

  it('gives up with a clear error when a whole draw collides, inserting nothing', async () => {
    const { batch, taken } = await newBatch();
    const insert = t.app.db.transaction((tx) =>
      insertBatchCodes(tx, batch, 5, { draw: (n) => taken.slice(0, n) }),
    );
    await expect(insert).rejects.toMatchObject({ code: 'VOUCHER.CODE_SPACE_FULL' });
    expect(await codesOf(batch.id)).toEqual([]);
  });
});
