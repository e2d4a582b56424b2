import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, verifyAuditChain } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan, getPlan, listPlans, updatePlan } from './plan.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const plan = {
  name: 'Daily',
  downloadBps: 10_000_000,
  uploadBps: 2_000_000,
  validitySeconds: 86_400,
  priceMinor: 5000n,
  currency: 'KES',
};

describe('plans', () => {
  it('creates a plan with exact money and audits it', async () => {
    const { actor } = await t.newTenant();
    const created = await createPlan(t.app, actor, { ...plan, dataQuotaBytes: 2n ** 40n });
    expect(created.priceMinor).toBe(5000n);
    expect(created.dataQuotaBytes).toBe(2n ** 40n);
    const audit = await t.app.db.select().from(auditLog).where(eq(auditLog.entityId, created.id));
    expect(audit.map((a) => a.action)).toEqual(['plan.create']);
    expect(await verifyAuditChain(t.app.db, actor.tenantId)).toBeNull();
  });

  it('keeps tenants apart: one operator cannot read or change another tenant’s plans', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    const mine = await createPlan(t.app, a.actor, plan);
    expect((await listPlans(t.app, b.actor)).map((p) => p.id)).not.toContain(mine.id);
    await expect(getPlan(t.app, b.actor, mine.id)).rejects.toMatchObject({ code: 'PLAN.NOT_FOUND' });
    await expect(updatePlan(t.app, b.actor, mine.id, { name: 'stolen' })).rejects.toMatchObject({
      code: 'PLAN.NOT_FOUND',
    });
    expect((await getPlan(t.app, a.actor, mine.id)).name).toBe('Daily');
  });

  it('refuses duplicate names and bad input with typed errors', async () => {
    const { actor } = await t.newTenant();
    await createPlan(t.app, actor, plan);
    await expect(createPlan(t.app, actor, plan)).rejects.toMatchObject({ code: 'PLAN.NAME_TAKEN' });
    await expect(createPlan(t.app, actor, { ...plan, name: 'x', currency: 'shillings' })).rejects.toThrow();
    await expect(createPlan(t.app, actor, { ...plan, name: 'y', downloadBps: 1.5 })).rejects.toThrow();
  });

  it('lets a viewer read but not write', async () => {
    const { actor } = await t.newTenant();
    const viewer = { ...actor, role: 'viewer' as const };
    await expect(createPlan(t.app, viewer, plan)).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    await expect(listPlans(t.app, viewer)).resolves.toEqual([]);
  });

  it('records before and after when a plan changes', async () => {
    const { actor } = await t.newTenant();
    const p = await createPlan(t.app, actor, plan);
    const changed = await updatePlan(t.app, actor, p.id, { downloadBps: 20_000_000 });
    expect(changed.downloadBps).toBe(20_000_000);
    // A patch leaves unnamed fields alone (this once reset them to their defaults).
    expect(changed.validitySeconds).toBe(86_400);
    const [row] = await t.app.db.select().from(auditLog).where(eq(auditLog.action, 'plan.update'));
    expect(row?.before).toMatchObject({ downloadBps: 10_000_000 });
    expect(row?.after).toMatchObject({ downloadBps: 20_000_000 });
  });
});
