import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { agentLedger, auditLog, tenants } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld, type AgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from '../sync/sync.service.ts';
import { listConflicts, resolveConflict } from '../sync/conflict.service.ts';
import { salesReport, shiftReport } from './cash-report.service.ts';
import {
  agentToday,
  ledgerTotals,
  outstandingByAgent,
  recordAdjustment,
  recordHandover,
} from './ledger.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function sell(w: AgentWorld, n: number, firstSeq = 1, soldAt = new Date()) {
  const codes = await w.lease(w.device, n);
  const ops = await Promise.all(
    codes.map((c, i) => w.device.sale(c, firstSeq + i, { soldAt: soldAt.toISOString() })),
  );
  return (await pushOps(t.app, w.agentActor, { deviceId: w.device.id, ops })).results;
}

describe('agent ledger', () => {
  it('posts face value and floor-rounded commission exactly, and nets handovers', async () => {
    // 1999 × 2.5 % = 49.975 → 49 per sale.
    const w = await newAgentWorld(t, { priceMinor: 1999n, commissionBps: 250 });
    await sell(w, 3);
    expect(await ledgerTotals(t.app.db, w.operator.tenantId, w.agent.id)).toEqual({
      salesMinor: 5997n,
      commissionMinor: 147n,
      handedOverMinor: 0n,
      adjustmentsMinor: 0n,
      outstandingMinor: 5850n,
    });
    const { totals } = await recordHandover(t.app, w.operator, {
      agentId: w.agent.id,
      amountMinor: 5000n,
      currency: 'KES',
      note: 'Friday cash',
    });
    expect(totals.outstandingMinor).toBe(850n);
    await recordAdjustment(t.app, w.operator, {
      agentId: w.agent.id,
      amountMinor: -850n,
      currency: 'KES',
      note: 'Waived',
    });
    expect((await ledgerTotals(t.app.db, w.operator.tenantId, w.agent.id)).outstandingMinor).toBe(0n);
    const actions = await t.app.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, w.operator.tenantId), eq(auditLog.entityType, 'agent_ledger')));
    expect(actions.map((a) => a.action)).toEqual(['cash.handover', 'cash.adjustment']);
  });

  it('reports each shift’s variance between handovers', async () => {
    const w = await newAgentWorld(t, { priceMinor: 1000n, commissionBps: 1000 });
    await sell(w, 2); // 2000 expected − 200 commission
    await recordHandover(t.app, w.operator, { agentId: w.agent.id, amountMinor: 1700n, currency: 'KES' });
    await sell(w, 1, 3); // 1000 − 100
    const { shifts } = await shiftReport(t.app, w.operator, w.agent.id);
    expect(shifts).toHaveLength(2);
    expect(shifts[0]).toMatchObject({
      openingMinor: 0n,
      salesMinor: 2000n,
      commissionMinor: 200n,
      expectedMinor: 1800n,
      handedOverMinor: 1700n,
      varianceMinor: -100n,
    });
    expect(shifts[1]).toMatchObject({
      openingMinor: 100n,
      salesMinor: 1000n,
      expectedMinor: 1000n,
      varianceMinor: null,
    });
  });

  it('refuses handovers in another currency, from agents, and for another tenant’s agent', async () => {
    const w = await newAgentWorld(t);
    const b = await newAgentWorld(t);
    await expect(
      recordHandover(t.app, w.operator, { agentId: w.agent.id, amountMinor: 1n, currency: 'USD' }),
    ).rejects.toMatchObject({ code: 'CASH.CURRENCY_MISMATCH' });
    await expect(
      recordHandover(t.app, w.agentActor, { agentId: w.agent.id, amountMinor: 1n, currency: 'KES' }),
    ).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    await expect(
      recordHandover(t.app, b.operator, { agentId: w.agent.id, amountMinor: 1n, currency: 'KES' }),
    ).rejects.toMatchObject({ code: 'AGENT.NOT_FOUND' });
    await expect(shiftReport(t.app, b.operator, w.agent.id)).rejects.toMatchObject({
      code: 'AGENT.NOT_FOUND',
    });
    const rows = await t.app.db.select().from(agentLedger).where(eq(agentLedger.agentId, w.agent.id));
    expect(rows).toEqual([]);
  });
});

describe('reports', () => {
  it('shows outstanding cash, unsold stock and headroom per agent, for the tenant only', async () => {
    const w = await newAgentWorld(t, { priceMinor: 1000n, commissionBps: 500, creditLimitMinor: 10_000n });
    await sell(w, 2);
    await w.lease(w.device, 3);
    const b = await newAgentWorld(t);
    const rows = await outstandingByAgent(t.app, w.operator);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      agentId: w.agent.id,
      salesMinor: 2000n,
      commissionMinor: 100n,
      outstandingMinor: 1900n,
      unsoldCount: 3,
      unsoldFaceMinor: 3000n,
      headroomMinor: 5100n,
    });
    expect((await outstandingByAgent(t.app, b.operator)).map((r) => r.agentId)).toEqual([b.agent.id]);
  });

  it('groups sales by agent, local day and plan', async () => {
    const w = await newAgentWorld(t, { priceMinor: 1000n });
    await t.app.db
      .update(tenants)
      .set({ timezone: 'Africa/Nairobi' })
      .where(eq(tenants.id, w.operator.tenantId));
    // 22:30 UTC on 1 March is already 2 March in Nairobi (UTC+3).
    await sell(w, 2, 1, new Date('2026-03-01T22:30:00.000Z'));
    await sell(w, 1, 3, new Date('2026-03-01T12:00:00.000Z'));
    const rows = await salesReport(t.app, w.operator, {
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-03T00:00:00Z'),
    });
    expect(rows.map((r) => [r.day, r.planName, r.count, r.faceMinor, r.reportedMinor])).toEqual([
      ['2026-03-01', 'Hour', 1, 1000n, 1000n],
      ['2026-03-02', 'Hour', 2, 2000n, 2000n],
    ]);
    const b = await newAgentWorld(t);
    expect(await salesReport(t.app, b.operator, { from: new Date(0), to: new Date() })).toEqual([]);
  });

  it('shows the agent today’s sales and what they owe', async () => {
    const w = await newAgentWorld(t, { priceMinor: 1000n, commissionBps: 1000 });
    await sell(w, 1, 1, new Date(Date.now() - 3 * 86_400_000));
    await sell(w, 2, 2);
    const today = await w.lease(w.device, 1).then(() => agentToday(t.app, w.agentActor));
    expect(today).toMatchObject({
      currency: 'KES',
      salesCount: 2,
      salesMinor: 2000n,
      commissionMinor: 200n,
      owedMinor: 2700n,
      unsoldCount: 1,
      unsoldFaceMinor: 1000n,
    });
    await expect(agentToday(t.app, w.operator)).rejects.toMatchObject({ code: 'AGENT.NOT_AN_AGENT' });
  });
});

describe('conflicts', () => {
  it('lists open conflicts and resolves one once, charging the agent', async () => {
    const w = await newAgentWorld(t);
    const b = await newAgentWorld(t);
    const [code = ''] = await w.lease(w.device, 1);
    await pushOps(t.app, w.agentActor, {
      deviceId: w.device.id,
      ops: [await w.device.sale(code, 1), await w.device.sale(code, 2)],
    });
    const [open] = await listConflicts(t.app, w.operator, { state: 'open', limit: 10 });
    expect(open?.conflict).toMatchObject({ reason: 'already_sold', code });
    expect(await listConflicts(t.app, b.operator, { state: 'all', limit: 10 })).toEqual([]);
    const id = open?.conflict.id ?? '';
    await expect(resolveConflict(t.app, b.operator, { id, note: 'x' })).rejects.toMatchObject({
      code: 'CONFLICT.NOT_FOUND',
    });
    await resolveConflict(t.app, w.operator, { id, note: 'Sold twice; agent pays', chargeMinor: 2000n });
    await expect(resolveConflict(t.app, w.operator, { id, note: 'again' })).rejects.toMatchObject({
      code: 'CONFLICT.ALREADY_RESOLVED',
    });
    expect(await listConflicts(t.app, w.operator, { state: 'open', limit: 10 })).toEqual([]);
    expect(await ledgerTotals(t.app.db, w.operator.tenantId, w.agent.id)).toMatchObject({
      salesMinor: 2000n,
      adjustmentsMinor: 2000n,
      outstandingMinor: 4000n,
    });
  });
});
