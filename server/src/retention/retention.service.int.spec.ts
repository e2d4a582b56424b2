import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { nas, radiusSessions, tenants, voucherSales } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { forgetBuyerPhones, purgeExpiredAccounting } from './retention.service.ts';
import { retentionHandlers, retentionJobs } from './retention.jobs.ts';
import { TEST_JOB_SETTINGS } from '../testing/test-app-factory.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { untilFinished } from '../jobs/job.testing.ts';
import { SALE_RECEIPT_JOB } from '../sms/sale-receipt.job.ts';
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
  it('keeps finished receipts KASI_JOB_RETENTION_DAYS, and queued ones no longer than the number on the sale', async () => {
    const boss = await t.app.jobs.boss();
    const [queue] = await boss.getQueues([SALE_RECEIPT_JOB]);
    const days = TEST_JOB_SETTINGS.retentionDays * 86_400;
    expect(queue).toMatchObject({ deleteAfterSeconds: days, retentionSeconds: days });
  });

  it('runs each purge from its daily schedule', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await w.lease(w.device, 1);
    const op = await w.device.sale(code, 1, { buyerPhone: '+254700000081' });
    await pushOps(t.app, w.agentActor, { deviceId: w.device.id, ops: [op] });
    await t.app.db
      .update(voucherSales)
      .set({ soldAt: new Date(Date.now() - 31 * 86_400_000) })
      .where(eq(voucherSales.saleId, op.saleId));
    const boss = await t.app.jobs.boss();
    const schedules = await boss.getSchedules();
    const workers = await startWorkers(
      t.app.jobs,
      retentionHandlers(t.app, { buyerPhoneDays: 30 }),
      t.app.log,
    );
    try {
      // What the cron pass does at the hour: one job per schedule.
      for (const kind of retentionJobs) {
        expect(schedules.find((x) => x.name === kind.name)?.cron).toBe(kind.schedule?.cron);
        await t.app.db.transaction((tx) => t.app.jobs.enqueue(tx, { kind, data: {} }));
      }
      for (const kind of retentionJobs) {
        expect(await untilFinished(boss, kind.name)).toMatchObject([{ state: 'completed' }]);
      }
    } finally {
      await workers.stop();
    }
    const [sale] = await t.app.db.select().from(voucherSales).where(eq(voucherSales.saleId, op.saleId));
    expect(sale?.buyerPhone).toBeNull();
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
