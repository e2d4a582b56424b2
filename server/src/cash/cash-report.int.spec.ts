import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { tenants } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld, type AgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from '../sync/sync.service.ts';
import { salesByDays } from './cash-report.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Leases one code per instant and pushes a sale of each at that instant, in order. */
async function sellAt(w: AgentWorld, instants: string[], firstSeq = 1) {
  const codes = await w.lease(w.device, instants.length);
  const ops = await Promise.all(
    codes.map((c, i) => w.device.sale(c, firstSeq + i, { soldAt: instants[i] ?? '' })),
  );
  const { results } = await pushOps(t.app, w.agentActor, { deviceId: w.device.id, ops });
  expect(results.map((r) => r.result)).toEqual(instants.map(() => 'applied'));
}

async function inNairobi(w: AgentWorld) {
  await t.app.db
    .update(tenants)
    .set({ timezone: 'Africa/Nairobi' })
    .where(eq(tenants.id, w.operator.tenantId));
}

describe('sales by whole local days', () => {
  it('cuts days at the tenant’s midnight, not UTC’s', async () => {
    const w = await newAgentWorld(t, { priceMinor: 1000n });
    await inNairobi(w); // UTC+3
    await sellAt(w, [
      '2026-03-01T20:59:59.000Z', // 1 March, 23:59:59 in Nairobi
      '2026-03-01T21:00:00.000Z', // 2 March, 00:00
      '2026-03-02T20:59:59.000Z', // 2 March, 23:59:59
      '2026-03-02T21:00:00.000Z', // 3 March, 00:00
    ]);
    const one = await salesByDays(t.app, w.operator, { fromDay: '2026-03-02', toDay: '2026-03-02' });
    expect(one).toMatchObject({ fromDay: '2026-03-02', toDay: '2026-03-02', timezone: 'Africa/Nairobi' });
    expect(one.rows.map((r) => [r.day, r.agentId, r.planName, r.count, r.faceMinor])).toEqual([
      ['2026-03-02', w.agent.id, 'Hour', 2, 2000n],
    ]);
    const three = await salesByDays(t.app, w.operator, { fromDay: '2026-03-01', toDay: '2026-03-03' });
    expect(three.rows.map((r) => [r.day, r.count])).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 2],
      ['2026-03-03', 1],
    ]);
  });

  it('defaults to the last seven local days, today included', async () => {
    const w = await newAgentWorld(t, { priceMinor: 500n });
    const now = Date.now();
    await sellAt(w, [new Date(now - 8 * 86_400_000).toISOString(), new Date(now - 60_000).toISOString()]);
    const report = await salesByDays(t.app, w.operator, {});
    expect(report.timezone).toBe('UTC');
    expect(report.toDay).toBe(new Date(now).toISOString().slice(0, 10));
    const saleDay = new Date(now - 60_000).toISOString().slice(0, 10);
    expect(report.rows.map((r) => [r.day, r.count, r.reportedMinor])).toEqual([[saleDay, 1, 500n]]);
  });

  it('filters by agent and shows nothing of another tenant', async () => {
    const w = await newAgentWorld(t, { priceMinor: 700n });
    const other = await w.newAgent();
    await sellAt(w, [new Date().toISOString()]);
    const b = await newAgentWorld(t);
    const day = { fromDay: '2026-01-01', toDay: new Date().toISOString().slice(0, 10) };
    expect((await salesByDays(t.app, w.operator, { ...day, agentId: w.agent.id })).rows).toHaveLength(1);
    expect((await salesByDays(t.app, w.operator, { ...day, agentId: other.agent.id })).rows).toEqual([]);
    expect((await salesByDays(t.app, b.operator, day)).rows).toEqual([]);
    expect((await salesByDays(t.app, b.operator, { ...day, agentId: w.agent.id })).rows).toEqual([]);
  });

  it('refuses a backwards range, a non-date and an agent’s own call', async () => {
    const w = await newAgentWorld(t);
    await expect(
      salesByDays(t.app, w.operator, { fromDay: '2026-03-05', toDay: '2026-03-01' }),
    ).rejects.toMatchObject({ code: 'REPORT.BACKWARDS' });
    await expect(salesByDays(t.app, w.operator, { fromDay: '2026-02-31' })).rejects.toThrow();
    await expect(salesByDays(t.app, w.agentActor, {})).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });
});
