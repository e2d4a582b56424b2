import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, nas, radiusSessions, subscribers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createSubscriber } from './subscriber.service.ts';
import { eraseSubscriber, exportSubscriber } from './subscriber-privacy.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('subscriber export and erasure', () => {
  it('exports the account and its sessions, then erases them leaving only anonymous usage', async () => {
    const { actor } = await t.newTenant();
    const plan = await createPlan(t.app, actor, {
      name: 'p',
      downloadBps: 1_000_000,
      uploadBps: 1_000_000,
      priceMinor: 1n,
      currency: 'KES',
    });
    const sub = await createSubscriber(t.app, actor, {
      username: 'dana',
      password: 'secret-pw',
      planId: plan.id,
      phone: '+254700000001',
      macAddress: 'AA:BB:CC:DD:EE:01',
    });
    const [n] = await t.app.db
      .insert(nas)
      .values({ tenantId: actor.tenantId, name: 'r', address: `fixture-${sub.id}`, secretEnc: 'x' })
      .returning();
    await t.app.db.insert(radiusSessions).values({
      tenantId: actor.tenantId,
      nasId: n?.id ?? '',
      sessionKey: 'k',
      acctSessionId: 'a',
      userName: 'dana',
      subscriberId: sub.id,
      callingStationId: 'AA:BB:CC:DD:EE:01',
      framedIp: '10.0.0.9',
      startedAt: new Date(),
      lastUpdateAt: new Date(),
      inputOctets: 123n,
    });

    const exported = await exportSubscriber(t.app, actor, sub.id);
    expect(exported.subscriber).toMatchObject({ username: 'dana', phone: '+254700000001' });
    expect(exported.subscriber).not.toHaveProperty('passwordEnc');
    expect(exported.sessions).toHaveLength(1);

    expect(await eraseSubscriber(t.app, actor, sub.id)).toEqual({ erased: true, sessionsAnonymised: 1 });
    expect(await t.app.db.select().from(subscribers).where(eq(subscribers.id, sub.id))).toEqual([]);
    const [session] = await t.app.db
      .select()
      .from(radiusSessions)
      .where(eq(radiusSessions.tenantId, actor.tenantId));
    expect(session).toMatchObject({ callingStationId: null, framedIp: null, inputOctets: 123n });
    expect(session?.userName).toMatch(/^erased-/);
    const audit = JSON.stringify(
      await t.app.db.select().from(auditLog).where(eq(auditLog.entityId, sub.id)),
      (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
    );
    expect(audit).toContain('subscriber.erase');
    expect(audit.match(/\+254700000001/g)?.length ?? 0).toBe(0);
  });

  it('will not export or erase another tenant’s subscriber', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    const plan = await createPlan(t.app, a.actor, {
      name: 'p',
      downloadBps: 1_000_000,
      uploadBps: 1_000_000,
      priceMinor: 1n,
      currency: 'KES',
    });
    const sub = await createSubscriber(t.app, a.actor, {
      username: 'eve',
      password: 'secret-pw',
      planId: plan.id,
    });
    await expect(exportSubscriber(t.app, b.actor, sub.id)).rejects.toMatchObject({
      code: 'SUBSCRIBER.NOT_FOUND',
    });
    await expect(eraseSubscriber(t.app, b.actor, sub.id)).rejects.toMatchObject({
      code: 'SUBSCRIBER.NOT_FOUND',
    });
  });
});
