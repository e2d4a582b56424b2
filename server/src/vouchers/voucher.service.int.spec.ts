import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, Keyring, masterKeyFromBytes, nas, radiusSessions } from '@kasi/db';
import { isWellFormedVoucherCode } from '@kasi/domain';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { radclientLogin, startRadiusd } from '../testing/radiusd-process.ts';
import { createPlan } from '../plans/plan.service.ts';
import { newAgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from '../sync/sync.service.ts';
import { retireDevice } from '../agents/device.service.ts';
import { createNas } from '../nas/nas.service.ts';
import {
  createVoucherBatch,
  listBatchVouchers,
  listVoucherBatches,
  lockVouchers,
  unlockVouchers,
  voidVouchers,
} from './voucher.service.ts';
import { extendBatch, replanBatch } from './voucher-batch-ops.ts';

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

async function codesOf(actor: Parameters<typeof listBatchVouchers>[1], batchId: string) {
  return (await listBatchVouchers(t.app, actor, batchId, { limit: 1000, offset: 0 })).rows;
}

/** Puts a code in the state radiusd or an operator would have left it in. */
async function setState(id: string, state: string) {
  const sets: Record<string, ReturnType<typeof sql>> = {
    active: sql`status = 'active', first_used_at = now() - interval '10 minutes', expires_at = now() + interval '50 minutes'`,
    expired: sql`status = 'active', first_used_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'`,
    exhausted: sql`status = 'exhausted', first_used_at = now() - interval '5 minutes', expires_at = now() + interval '1 hour'`,
    unlimited: sql`status = 'active', first_used_at = now() - interval '5 minutes', expires_at = null`,
    void: sql`status = 'void'`,
    locked: sql`locked = true`,
  };
  await t.app.db.execute(sql`update vouchers set ${sets[state]} where id = ${id}`);
}

async function auditOf(tenantId: string, action: string) {
  return t.app.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, action)));
}

describe('extending a batch', () => {
  it('pushes out the expiry of codes in use, leaves unused ones to start at first login, and counts the rest', async () => {
    const { actor } = await t.newTenant();
    const plan = await createPlan(t.app, actor, planInput);
    const batch = await createVoucherBatch(t.app, actor, { planId: plan.id, quantity: 7 });
    const rows = await codesOf(actor, batch.id);
    const states = ['active', 'expired', 'exhausted', 'unlimited', 'void', 'locked', 'fresh'];
    for (const [i, state] of states.entries())
      if (state !== 'fresh') await setState(rows[i]?.id ?? '', state);
    const before = await codesOf(actor, batch.id);

    const result = await extendBatch(t.app, actor, { batchId: batch.id, days: 3 });
    expect(result).toEqual({
      extended: 1,
      notStarted: 1,
      unlimited: 1,
      skipped: { void: 1, locked: 1, expired: 1, exhausted: 1 },
    });
    const after = await codesOf(actor, batch.id);
    const expiry = (list: typeof after, i: number) => list[i]?.expiresAt?.getTime() ?? null;
    expect(expiry(after, 0)).toBe((expiry(before, 0) ?? 0) + 3 * 86_400_000);
    for (const i of [1, 2, 3, 4, 5, 6]) expect(expiry(after, i)).toBe(expiry(before, i));
    expect(after[6]).toMatchObject({ status: 'generated', firstUsedAt: null, expiresAt: null });

    const [audit] = await auditOf(actor.tenantId, 'voucher_batch.extend');
    expect(audit).toMatchObject({
      entityType: 'voucher_batch',
      entityId: batch.id,
      actorUserId: actor.userId,
    });
    expect(audit?.after).toMatchObject({ days: 3, extended: 1, skipped: { expired: 1 } });
    for (const r of rows) expect(JSON.stringify(audit?.after)).not.toContain(r.code);
  });

  it('refuses a number of days out of range and writes nothing', async () => {
    const { actor } = await t.newTenant();
    const plan = await createPlan(t.app, actor, planInput);
    const batch = await createVoucherBatch(t.app, actor, { planId: plan.id, quantity: 1 });
    await expect(extendBatch(t.app, actor, { batchId: batch.id, days: 0 })).rejects.toThrow();
    await expect(extendBatch(t.app, actor, { batchId: batch.id, days: 366 })).rejects.toThrow();
    expect(await auditOf(actor.tenantId, 'voucher_batch.extend')).toEqual([]);
  });
});

describe('re-planning a batch', () => {
  it('moves unsold, unused codes and leaves leased, sold and used ones unless asked', async () => {
    const w = await newAgentWorld(t, { codes: 8 });
    const day = await createPlan(t.app, w.operator, { ...planInput, name: 'Day', validitySeconds: 86_400 });
    const leased = await w.lease(w.device, 3);
    const sale = await w.device.sale(leased[0] ?? '', 1);
    await pushOps(t.app, w.agentActor, { deviceId: w.device.id, ops: [sale] });
    const free = (await w.allCodes()).filter((c) => !leased.includes(c.code));
    await setState(free[0]?.id ?? '', 'active');
    await setState(free[1]?.id ?? '', 'void');

    const first = await replanBatch(t.app, w.operator, { batchId: w.batch.id, planId: day.id });
    expect(first).toEqual({
      moved: 3,
      alreadyOnPlan: 0,
      skipped: { void: 1, locked: 0, leased: 2, sold: 1, used: 1 },
    });
    const planOf = async () =>
      Object.fromEntries(
        (await t.app.db.execute(sql`select code, plan_id from vouchers where batch_id = ${w.batch.id}`)).map(
          (r) => [r.code, r.plan_id],
        ),
      );
    let plans = await planOf();
    expect(free.slice(2).map((c) => plans[c.code])).toEqual([day.id, day.id, day.id]);
    expect(leased.map((c) => plans[c])).toEqual([w.plan.id, w.plan.id, w.plan.id]);
    expect(plans[free[0]?.code ?? '']).toBe(w.plan.id);
    const [summary] = await listVoucherBatches(t.app, w.operator);
    expect(summary?.batch.planId).toBe(day.id);

    const second = await replanBatch(t.app, w.operator, {
      batchId: w.batch.id,
      planId: day.id,
      includeSold: true,
      includeUsed: true,
    });
    expect(second).toEqual({
      moved: 2,
      alreadyOnPlan: 3,
      skipped: { void: 1, locked: 0, leased: 2, sold: 0, used: 0 },
    });
    plans = await planOf();
    expect(plans[leased[0] ?? '']).toBe(day.id);
    expect(plans[free[0]?.code ?? '']).toBe(day.id);
    expect(plans[leased[1] ?? '']).toBe(w.plan.id);

    const audits = await auditOf(w.operator.tenantId, 'voucher_batch.replan');
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ entityId: w.batch.id, before: { planId: w.plan.id } });
    expect(audits[0]?.after).toMatchObject({ planId: day.id, moved: 3, includeSold: false });
    const details = JSON.stringify(audits.map((a) => [a.before, a.after]));
    for (const c of await w.allCodes()) expect(details).not.toContain(c.code);
  });

  it('refuses a plan that is not on sale', async () => {
    const { actor } = await t.newTenant();
    const plan = await createPlan(t.app, actor, planInput);
    const old = await createPlan(t.app, actor, { ...planInput, name: 'Old' });
    await t.app.db.execute(sql`update plans set active = false where id = ${old.id}`);
    const batch = await createVoucherBatch(t.app, actor, { planId: plan.id, quantity: 2 });
    await expect(replanBatch(t.app, actor, { batchId: batch.id, planId: old.id })).rejects.toMatchObject({
      code: 'PLAN.INACTIVE',
    });
    expect((await codesOf(actor, batch.id)).length).toBe(2);
    expect(await auditOf(actor.tenantId, 'voucher_batch.replan')).toEqual([]);
  });

  it('will not touch another tenant’s batch nor move codes to another tenant’s plan', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    const planA = await createPlan(t.app, a.actor, planInput);
    const planB = await createPlan(t.app, b.actor, planInput);
    const batch = await createVoucherBatch(t.app, a.actor, { planId: planA.id, quantity: 2 });
    await setState((await codesOf(a.actor, batch.id))[0]?.id ?? '', 'active');
    const before = await codesOf(a.actor, batch.id);
    await expect(extendBatch(t.app, b.actor, { batchId: batch.id, days: 1 })).rejects.toMatchObject({
      code: 'VOUCHER_BATCH.NOT_FOUND',
    });
    await expect(replanBatch(t.app, b.actor, { batchId: batch.id, planId: planB.id })).rejects.toMatchObject({
      code: 'VOUCHER_BATCH.NOT_FOUND',
    });
    await expect(replanBatch(t.app, a.actor, { batchId: batch.id, planId: planB.id })).rejects.toMatchObject({
      code: 'PLAN.NOT_FOUND',
    });
    expect(await codesOf(a.actor, batch.id)).toEqual(before);
    const [summary] = await listVoucherBatches(t.app, a.actor);
    expect(summary?.batch.planId).toBe(planA.id);
    expect(await auditOf(b.actor.tenantId, 'voucher_batch.replan')).toEqual([]);
  });
});

const SECRET = 'replan-shared-secret';
const radclientPap = (port: number, code: string) => radclientLogin(port, SECRET, code, code);

describe('what radiusd sees after batch-wide changes', () => {
  it('gives a re-planned code the new plan’s rate limit and an extended code the longer session', async () => {
    const { actor } = await t.newTenant();
    // radiusd must unwrap the NAS secret, so this tenant's data key sits under a key it is given.
    const masterKey = randomBytes(32);
    const app = { ...t.app, keyring: new Keyring([masterKeyFromBytes(masterKey)]) };
    await createNas(app, actor, { name: 'loopback', address: '127.0.0.1', secret: SECRET });
    const hour = await createPlan(t.app, actor, planInput);
    const fast = await createPlan(t.app, actor, {
      ...planInput,
      name: 'Fast',
      downloadBps: 20_000_000,
      uploadBps: 4_000_000,
    });
    const batch = await createVoucherBatch(t.app, actor, { planId: hour.id, quantity: 2 });
    const [inUse = '', unused = ''] = (await codesOf(actor, batch.id)).map((r) => r.code);
    const radiusd = await startRadiusd(t.url, masterKey);
    try {
      const first = await radclientPap(radiusd.port, inUse);
      expect(first).toMatchObject({ code: 'Access-Accept', rateLimit: '1M/5M' });
      expect(first.sessionTimeout).toBeLessThanOrEqual(3600);
      const result = await replanBatch(t.app, actor, { batchId: batch.id, planId: fast.id });
      expect(result).toMatchObject({ moved: 1, skipped: { used: 1 } });
      expect(await radclientPap(radiusd.port, unused)).toMatchObject({
        code: 'Access-Accept',
        rateLimit: '4M/20M',
      });
      expect(await extendBatch(t.app, actor, { batchId: batch.id, days: 1 })).toMatchObject({ extended: 2 });
      const again = await radclientPap(radiusd.port, inUse);
      expect(again).toMatchObject({ code: 'Access-Accept', rateLimit: '1M/5M' });
      expect(again.sessionTimeout).toBeGreaterThan(86_400);
    } finally {
      await radiusd.stop();
    }
  });
});

describe('locking and unlocking codes', () => {
  it('locks and unlocks codes, counts only those that changed, and audits ids', async () => {
    const { actor } = await t.newTenant();
    const plan = await createPlan(t.app, actor, planInput);
    const batch = await createVoucherBatch(t.app, actor, { planId: plan.id, quantity: 4 });
    const codes = await codesOf(actor, batch.id);
    const ids = codes.map((c) => c.id);
    await setState(ids[3] ?? '', 'void');

    expect(await lockVouchers(t.app, actor, ids.slice(0, 2))).toEqual({ locked: 2 });
    expect(await lockVouchers(t.app, actor, ids)).toEqual({ locked: 2 });
    const states = (await codesOf(actor, batch.id)).map((c) => c.state);
    expect(states).toEqual(['locked', 'locked', 'locked', 'void']);

    expect(await unlockVouchers(t.app, actor, ids.slice(1))).toEqual({ unlocked: 3, keptLocked: 0 });
    expect((await codesOf(actor, batch.id)).map((c) => c.state)).toEqual([
      'locked',
      'unused',
      'unused',
      'void',
    ]);

    const [lockAudit] = await auditOf(actor.tenantId, 'voucher.lock');
    expect(lockAudit?.after).toEqual({ ids: ids.slice(0, 2), count: 2 });
    const unlockAudits = await auditOf(actor.tenantId, 'voucher.unlock');
    expect(unlockAudits).toHaveLength(1);
    expect(unlockAudits[0]?.after).toMatchObject({ count: 3, keptLocked: [] });
    const details = JSON.stringify([lockAudit?.after, unlockAudits[0]?.after]);
    for (const c of codes) expect(details).not.toContain(c.code);
  });

  it('changes nothing for another tenant’s ids', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    const plan = await createPlan(t.app, a.actor, planInput);
    const batch = await createVoucherBatch(t.app, a.actor, { planId: plan.id, quantity: 2 });
    const ids = (await codesOf(a.actor, batch.id)).map((c) => c.id);
    expect(await lockVouchers(t.app, b.actor, ids)).toEqual({ locked: 0 });
    expect((await codesOf(a.actor, batch.id)).map((c) => c.locked)).toEqual([false, false]);
    await lockVouchers(t.app, a.actor, ids);
    expect(await unlockVouchers(t.app, b.actor, ids)).toEqual({ unlocked: 0, keptLocked: 0 });
    expect((await codesOf(a.actor, batch.id)).map((c) => c.locked)).toEqual([true, true]);
    expect(await auditOf(b.actor.tenantId, 'voucher.lock')).toMatchObject([{ after: { ids: [], count: 0 } }]);
  });

  it('keeps locked the unsold codes of a lost phone, and unlocks those on a healthy lease', async () => {
    const w = await newAgentWorld(t, { codes: 6 });
    const phone = await w.newDevice(w.agentActor, 'second phone');
    const lost = await w.lease(w.device, 2);
    const healthy = await w.lease(phone, 2);
    await retireDevice(t.app, w.operator, { deviceId: w.device.id, reason: 'stolen' }, 'lost');
    const byCode = new Map((await w.allCodes()).map((c) => [c.code, c]));
    const idOf = (code: string | undefined) => byCode.get(code ?? '')?.id ?? '';
    expect(lost.map((c) => byCode.get(c)?.state)).toEqual(['locked', 'locked']);

    await lockVouchers(t.app, w.operator, healthy.map(idOf));
    const result = await unlockVouchers(t.app, w.operator, [...lost, ...healthy].map(idOf));
    expect(result).toEqual({ unlocked: 2, keptLocked: 2 });
    const after = new Map((await w.allCodes()).map((c) => [c.code, `${c.channel} ${c.state}`]));
    expect(lost.map((c) => after.get(c))).toEqual(['leased locked', 'leased locked']);
    expect(healthy.map((c) => after.get(c))).toEqual(['leased unused', 'leased unused']);
    const [audit] = await auditOf(w.operator.tenantId, 'voucher.unlock');
    expect(audit?.after).toMatchObject({ count: 2, keptLocked: expect.arrayContaining(lost.map(idOf)) });
  });
});

describe('the state and usage shown per code', () => {
  it('adds open sessions to stored usage, so a code runs out while still online', async () => {
    const { actor } = await t.newTenant();
    const plan = await createPlan(t.app, actor, {
      ...planInput,
      timeQuotaSeconds: 3600,
      dataQuotaBytes: 1_000_000_000n,
    });
    const batch = await createVoucherBatch(t.app, actor, { planId: plan.id, quantity: 3 });
    const [inUse, expired, fresh] = await codesOf(actor, batch.id);
    await setState(inUse?.id ?? '', 'active');
    await setState(expired?.id ?? '', 'expired');
    const [router] = await t.app.db
      .insert(nas)
      .values({ tenantId: actor.tenantId, name: 'r', address: `fixture-${actor.tenantId}`, secretEnc: 'x' })
      .returning();
    const session = (key: string, seconds: number, octets: bigint, closed: boolean) => ({
      tenantId: actor.tenantId,
      nasId: router?.id ?? '',
      sessionKey: key,
      acctSessionId: key,
      userName: inUse?.code ?? '',
      voucherId: inUse?.id ?? null,
      startedAt: new Date(Date.now() - 3_600_000),
      lastUpdateAt: new Date(),
      stoppedAt: closed ? new Date() : null,
      sessionTime: seconds,
      inputOctets: octets,
      outputOctets: 0n,
    });
    await t.app.db.insert(radiusSessions).values(session('closed', 1800, 100_000_000n, true));
    await t.app.db.insert(radiusSessions).values(session('open', 1200, 20_000_000n, false));

    let rows = await codesOf(actor, batch.id);
    expect(rows[0]).toMatchObject({
      state: 'active',
      usedSeconds: 3000,
      usedOctets: 120_000_000n,
      timeQuotaSeconds: 3600,
      dataQuotaBytes: 1_000_000_000n,
    });
    expect(rows[1]).toMatchObject({ state: 'expired', usedSeconds: 0, usedOctets: 0n });
    expect(rows[2]).toMatchObject({ id: fresh?.id, state: 'unused', channel: 'stock' });

    await t.app.db
      .update(radiusSessions)
      .set({ sessionTime: 1900 })
      .where(and(eq(radiusSessions.tenantId, actor.tenantId), eq(radiusSessions.sessionKey, 'open')));
    rows = await codesOf(actor, batch.id);
    expect(rows[0]).toMatchObject({ state: 'exhausted', usedSeconds: 3700 });
    expect(rows[0]?.status).toBe('active');
  });
});
