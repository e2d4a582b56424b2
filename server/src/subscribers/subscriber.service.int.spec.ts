import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, subscribers, SECRET_PURPOSE } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createSubscriber, listSubscribers, setSubscriberStatus } from './subscriber.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const plan = {
  name: 'Home 20M',
  downloadBps: 20_000_000,
  uploadBps: 5_000_000,
  priceMinor: 250000n,
  currency: 'KES',
};

describe('subscribers', () => {
  it('stores the password encrypted, never returns it, and audits status changes', async () => {
    const { actor } = await t.newTenant();
    const p = await createPlan(t.app, actor, plan);
    const s = await createSubscriber(t.app, actor, {
      username: 'jane',
      password: 'pppoe-pass-1',
      planId: p.id,
      macAddress: 'aa-bb-cc-dd-ee-ff',
    });
    expect(s).not.toHaveProperty('passwordEnc');
    expect(s.macAddress).toBe('AA:BB:CC:DD:EE:FF');
    const [row] = await t.app.db.select().from(subscribers).where(eq(subscribers.id, s.id));
    expect(row?.passwordEnc).not.toContain('pppoe-pass-1');
    expect(
      await t.app.keyring.decrypt(
        t.app.db,
        actor.tenantId,
        SECRET_PURPOSE.subscriberPassword,
        row?.passwordEnc ?? '',
      ),
    ).toBe('pppoe-pass-1');
    expect(JSON.stringify(await listSubscribers(t.app, actor))).not.toContain('pppoe-pass-1');

    const suspended = await setSubscriberStatus(t.app, actor, {
      id: s.id,
      status: 'suspended',
      reason: 'unpaid',
    });
    expect(suspended.subscriber).toMatchObject({ status: 'suspended', statusReason: 'unpaid' });
    expect(suspended.disconnects).toEqual([]);
    const audits = await t.app.db.select().from(auditLog).where(eq(auditLog.entityId, s.id));
    expect(audits.map((a) => a.action)).toEqual(['subscriber.create', 'subscriber.suspended']);
  });

  it('refuses duplicate user names (any case) and other tenants’ subscribers', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    const p = await createPlan(t.app, a.actor, plan);
    const s = await createSubscriber(t.app, a.actor, { username: 'Bob', password: 'secret-1', planId: p.id });
    await expect(
      createSubscriber(t.app, a.actor, { username: 'bob', password: 'secret-2', planId: p.id }),
    ).rejects.toMatchObject({ code: 'SUBSCRIBER.USERNAME_TAKEN' });
    await expect(setSubscriberStatus(t.app, b.actor, { id: s.id, status: 'disabled' })).rejects.toMatchObject(
      { code: 'SUBSCRIBER.NOT_FOUND' },
    );
    expect(await listSubscribers(t.app, b.actor)).toEqual([]);
  });
});
