// Upgrading from the home-made runner: receipts still waiting in the old `jobs` table move
// into pg-boss once, even when two servers start together, and the table is left empty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { jobs } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from '../sync/sync.service.ts';
import { SALE_RECEIPT_JOB } from '../sms/sale-receipt.job.ts';
import { moveLegacyJobs } from './legacy-jobs.ts';
import { tenantJobs } from './job.testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('jobs left in the old table', () => {
  it('moves waiting receipts into pg-boss once and deletes the finished ones', async () => {
    const w = await newAgentWorld(t);
    const codes = await w.lease(w.device, 2);
    const ops = await Promise.all(
      codes.map((c, i) => w.device.sale(c, i + 1, { buyerPhone: `+25470000009${i}` })),
    );
    await pushOps(t.app, w.agentActor, { deviceId: w.device.id, ops });
    // As the previous version left them: the receipts in `jobs`, none in pg-boss.
    await (await t.app.jobs.boss()).deleteAllJobs(SALE_RECEIPT_JOB);
    const [waiting, done] = ops;
    const legacy = (saleId: string, finished: { doneAt?: Date; failedAt?: Date }) => ({
      tenantId: w.operator.tenantId,
      kind: SALE_RECEIPT_JOB,
      payload: { saleId, code: 'KA7Q3MXRT', phone: '+254700000090' },
      dedupeKey: `sms.sale_receipt:${saleId}:${Object.keys(finished).join()}`,
      ...finished,
    });
    await t.app.db
      .insert(jobs)
      .values([
        legacy(waiting?.saleId ?? '', {}),
        legacy(done?.saleId ?? '', { doneAt: new Date() }),
        legacy(done?.saleId ?? '', { failedAt: new Date() }),
      ]);

    const moved = await Promise.all([moveLegacyJobs(t.app), moveLegacyJobs(t.app)]);
    expect(moved.sort()).toEqual([0, 1]);
    expect(await moveLegacyJobs(t.app)).toBe(0);
    expect(await t.app.db.select().from(jobs).where(eq(jobs.tenantId, w.operator.tenantId))).toEqual([]);
    const queued = await tenantJobs(t.app, SALE_RECEIPT_JOB, w.operator.tenantId);
    expect(queued).toMatchObject([
      { state: 'created', data: { tenantId: w.operator.tenantId, saleId: waiting?.saleId } },
    ]);
  });
});
