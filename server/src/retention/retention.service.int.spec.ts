import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { jobs, nas, radiusSessions, tenants, voucherSales } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { forgetBuyerPhones, purgeExpiredAccounting, purgeFinishedJobs } from './retention.service.ts';
import { newAgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from '../sync/sync.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('accounting retention', () => {
  it('deletes closed sessions past each tenant’s retention and keeps the rest', async () => {
    const now = new Date('2026-11-22T00:00:00Z');
    const monthsAgo = (m: number) => new Date(Date.UTC(2026, 10 - m, 21));
    const make = async (retention?: number) => {
      const { actor } = await t.newTenant();
      if (retention)
        await t.app.db
          .update(tenants)
          .set({ settings: { accountingRetentionMonths: retention } })
          .where(eq(tenants.id, actor.tenantId));
      const [n] = await t.app.db
        .insert(nas)
        .values({ tenantId: actor.tenantId, name: 'r', address: `fixture-${actor.tenantId}`, secretEnc: 'x' })
        .returning();
      const add = (key: string, startedAt: Date, stoppedAt: Date | null) =>
        t.app.db.insert(radiusSessions).values({
          tenantId: actor.tenantId,
          nasId: n?.id ?? '',
          sessionKey: key,
          acctSessionId: key,
          userName: 'u',
          startedAt,
          lastUpdateAt: startedAt,
          stoppedAt,
        });
      await add('old', monthsAgo(14), monthsAgo(14));
      await add('recent', monthsAgo(3), monthsAgo(3));
      await add('open-old', monthsAgo(14), null);
      return actor.tenantId;
    };
    const standard = await make();
    const short = await make(2);
    expect(await purgeExpiredAccounting(t.app, now)).toBe(3);
    const keys = async (tenantId: string) =>
      (await t.app.db.select().from(radiusSessions).where(eq(radiusSessions.tenantId, tenantId)))
        .map((r) => r.sessionKey)
        .sort();
    expect(await keys(standard)).toEqual(['open-old', 'recent']);
    expect(await keys(short)).toEqual(['open-old']);
  });
});

describe('job retention', () => {
  it('deletes jobs that finished, done or failed, more than the configured days ago and keeps the rest', async () => {
    const now = new Date('2026-11-22T00:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const { actor } = await t.newTenant();
    const add = (key: string, at: { doneAt?: Date; failedAt?: Date; createdAt?: Date }) =>
      t.app.db.insert(jobs).values({
        tenantId: actor.tenantId,
        kind: 'sms.sale_receipt',
        payload: { saleId: key, phoneMasked: '+2547…78' },
        dedupeKey: `retention:${actor.tenantId}:${key}`,
        ...at,
      });
    await add('done-old', { doneAt: daysAgo(31), createdAt: daysAgo(31) });
    await add('failed-old', { failedAt: daysAgo(45), createdAt: daysAgo(46) });
    await add('done-recent', { doneAt: daysAgo(29), createdAt: daysAgo(90) });
    await add('failed-recent', { failedAt: daysAgo(2), createdAt: daysAgo(40) });
    await add('queued-old', { createdAt: daysAgo(120) });

    expect(await purgeFinishedJobs(t.app, { days: 30, now, batch: 1 })).toBe(2);
    const left = async () =>
      (await t.app.db.select().from(jobs).where(eq(jobs.tenantId, actor.tenantId)))
        .map((j) => (j.payload as { saleId: string }).saleId)
        .sort();
    expect(await left()).toEqual(['done-recent', 'failed-recent', 'queued-old']);
    expect(await purgeFinishedJobs(t.app, { days: 1, now })).toBe(2);
    expect(await left()).toEqual(['queued-old']);
  });
});

describe('buyer phone retention', () => {
  it('clears the buyer’s number from sales older than the configured days, and only that', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 2);
    const ops = await Promise.all(
      codes.map((c, i) => w.device.sale(c, i + 1, { buyerPhone: `+25470000007${i}` })),
    );
    const pushed = await pushOps(t.app, w.agentActor, { deviceId: w.device.id, ops });
    expect(pushed.results.map((r) => r.result)).toEqual(['applied', 'applied']);
    const [old, recent] = ops;
    const now = new Date();
    await t.app.db
      .update(voucherSales)
      .set({ soldAt: new Date(now.getTime() - 31 * 86_400_000) })
      .where(eq(voucherSales.saleId, old?.saleId ?? ''));
    expect(await forgetBuyerPhones(t.app, { days: 30, now })).toBe(1);
    const rows = await t.app.db
      .select({
        saleId: voucherSales.saleId,
        phone: voucherSales.buyerPhone,
        amount: voucherSales.amountMinor,
      })
      .from(voucherSales)
      .where(eq(voucherSales.tenantId, w.operator.tenantId));
    const byId = new Map(rows.map((r) => [r.saleId, r]));
    expect(byId.get(old?.saleId ?? '')).toMatchObject({ phone: null, amount: old?.amountMinor });
    expect(byId.get(recent?.saleId ?? '')?.phone).toBe('+254700000071');
  });
});
