import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, radiusSessions, subscribers, SECRET_PURPOSE } from '@kasi/db';
import { createNas } from '../nas/nas.service.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import {
  addSubscriber,
  createSubscriber,
  getSubscriber,
  resetSubscriberPassword,
  setSubscriberStatus,
  updateSubscriber,
} from './subscriber.service.ts';
import { listSubscribers } from './subscriber-query.ts';
import { resumeSubscriber, suspendSubscriber, terminateSubscriber } from './subscriber-status.service.ts';
import { subscriberTimeline, subscriberUsage } from './subscriber-activity.service.ts';

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
    expect(JSON.stringify((await listSubscribers(t.app, actor)).rows)).not.toContain('pppoe-pass-1');

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
    await expect(
      setSubscriberStatus(t.app, b.actor, { id: s.id, status: 'terminated' }),
    ).rejects.toMatchObject({ code: 'SUBSCRIBER.NOT_FOUND' });
    expect((await listSubscribers(t.app, b.actor)).rows).toEqual([]);
    await expect(getSubscriber(t.app, b.actor, s.id)).rejects.toMatchObject({ code: 'SUBSCRIBER.NOT_FOUND' });
    await expect(updateSubscriber(t.app, b.actor, { id: s.id, notes: 'x' })).rejects.toMatchObject({
      code: 'SUBSCRIBER.NOT_FOUND',
    });
    await expect(resetSubscriberPassword(t.app, b.actor, { id: s.id })).rejects.toMatchObject({
      code: 'SUBSCRIBER.NOT_FOUND',
    });
    await expect(suspendSubscriber(t.app, b.actor, { id: s.id, reason: 'not yours' })).rejects.toMatchObject({
      code: 'SUBSCRIBER.NOT_FOUND',
    });
    await expect(subscriberTimeline(t.app, b.actor, s.id)).rejects.toMatchObject({
      code: 'SUBSCRIBER.NOT_FOUND',
    });
    // B's plan cannot be given to A's subscriber, nor A's to B's.
    const pb = await createPlan(t.app, b.actor, plan);
    await expect(updateSubscriber(t.app, a.actor, { id: s.id, planId: pb.id })).rejects.toMatchObject({
      code: 'PLAN.NOT_FOUND',
    });
    expect((await getSubscriber(t.app, a.actor, s.id)).subscriber.planId).toBe(p.id);
  });
});

describe('subscriber records', () => {
  it('keeps what an ISP records, normalised, and refuses a bad phone, MAC or half a GPS point', async () => {
    const { actor } = await t.newTenant();
    const p = await createPlan(t.app, actor, plan);
    const { subscriber: s, password } = await addSubscriber(t.app, actor, {
      username: 'amina',
      planId: p.id,
      service: 'pppoe',
      fullName: 'Amina Otieno',
      phone: '+254 712-345 678',
      email: 'amina@example.com',
      address: 'Plot 4, Kisumu',
      latitude: '-0.091702',
      longitude: '34.767956',
      tags: ['Tower-A', 'vip'],
      notes: 'Gate code 1234',
    });
    expect(password).toMatch(/^[A-Za-z2-9]{10}$/);
    expect(s).toMatchObject({
      phone: '+254712345678',
      latitude: '-0.091702',
      longitude: '34.767956',
      tags: ['tower-a', 'vip'],
      status: 'active',
    });
    const [row] = await t.app.db.select().from(subscribers).where(eq(subscribers.id, s.id));
    expect(
      await t.app.keyring.decrypt(
        t.app.db,
        actor.tenantId,
        SECRET_PURPOSE.subscriberPassword,
        row?.passwordEnc ?? '',
      ),
    ).toBe(password);
    for (const bad of [
      { phone: '0712345678' },
      { macAddress: 'aa:bb' },
      { latitude: '1.5' },
      { email: 'x@' },
    ]) {
      await expect(
        addSubscriber(t.app, actor, { username: `bad-${Object.keys(bad)[0]}`, planId: p.id, ...bad }),
      ).rejects.toThrow();
    }
    expect((await listSubscribers(t.app, actor)).total).toBe(1);
  });

  it('edits an account, resets its password once, and keeps an audit timeline without personal data', async () => {
    const { actor } = await t.newTenant();
    const p = await createPlan(t.app, actor, plan);
    const fast = await createPlan(t.app, actor, { ...plan, name: 'Fast' });
    const s = await createSubscriber(t.app, actor, {
      username: 'kofi',
      password: 'first-pass',
      planId: p.id,
    });
    const edited = await updateSubscriber(t.app, actor, {
      id: s.id,
      planId: fast.id,
      phone: '+233201234567',
    });
    expect(edited).toMatchObject({ planId: fast.id, phone: '+233201234567', username: 'kofi' });
    const { password } = await resetSubscriberPassword(t.app, actor, { id: s.id });
    const [row] = await t.app.db.select().from(subscribers).where(eq(subscribers.id, s.id));
    expect(
      await t.app.keyring.decrypt(
        t.app.db,
        actor.tenantId,
        SECRET_PURPOSE.subscriberPassword,
        row?.passwordEnc ?? '',
      ),
    ).toBe(password);
    await suspendSubscriber(t.app, actor, { id: s.id, reason: 'unpaid since May' });
    const got = await getSubscriber(t.app, actor, s.id);
    expect(got.subscriber).toMatchObject({
      status: 'suspended',
      statusReason: 'unpaid since May',
      statusChangedBy: actor.label,
    });
    expect(got.planName).toBe('Fast');
    await expect(suspendSubscriber(t.app, actor, { id: s.id, reason: 'again' })).rejects.toMatchObject({
      code: 'SUBSCRIBER.BAD_TRANSITION',
    });
    await resumeSubscriber(t.app, actor, { id: s.id });
    await terminateSubscriber(t.app, actor, { id: s.id, reason: 'moved away' });
    await expect(resumeSubscriber(t.app, actor, { id: s.id })).rejects.toMatchObject({
      code: 'SUBSCRIBER.BAD_TRANSITION',
    });
    const timeline = await subscriberTimeline(t.app, actor, s.id);
    expect(timeline.map((a) => a.action)).toEqual([
      'subscriber.terminated',
      'subscriber.active',
      'subscriber.suspended',
      'subscriber.password_reset',
      'subscriber.update',
      'subscriber.create',
    ]);
    const text = JSON.stringify(timeline, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(text).not.toContain('+233201234567');
    expect(text).not.toContain(password);
    expect(timeline[4]?.after).toMatchObject({ changed: ['phone', 'planId'] });
  });

  it('a viewer reads but may not change, suspend or reset', async () => {
    const { actor } = await t.newTenant();
    const p = await createPlan(t.app, actor, plan);
    const s = await createSubscriber(t.app, actor, { username: 'vi', password: 'secret-1', planId: p.id });
    const viewer = { ...actor, role: 'viewer' as const };
    expect((await listSubscribers(t.app, viewer)).total).toBe(1);
    for (const call of [
      () => updateSubscriber(t.app, viewer, { id: s.id, notes: 'x' }),
      () => resetSubscriberPassword(t.app, viewer, { id: s.id }),
      () => suspendSubscriber(t.app, viewer, { id: s.id, reason: 'no way' }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    }
  });
});

describe('the subscriber list', () => {
  it('searches user name, name, phone and email, and filters by status, plan, tag and router', async () => {
    const { actor } = await t.newTenant();
    const home = await createPlan(t.app, actor, plan);
    const biz = await createPlan(t.app, actor, { ...plan, name: 'Business' });
    const mk = (username: string, over: Record<string, unknown> = {}) =>
      createSubscriber(t.app, actor, { username, password: 'secret-1', planId: home.id, ...over });
    const ann = await mk('ann', { fullName: 'Ann Wanjiru', tags: ['tower-a'] });
    const ben = await mk('ben', { phone: '+254700111222', planId: biz.id, tags: ['tower-b'] });
    await mk('cy_100', { email: 'cy@shop.example', tags: ['tower-a', 'business'] });
    await mk('cy1000');
    await suspendSubscriber(t.app, actor, { id: ben.id, reason: 'unpaid' });
    const names = async (f: Parameters<typeof listSubscribers>[2]) =>
      (await listSubscribers(t.app, actor, f)).rows.map((r) => r.subscriber.username);
    expect(await names({ search: 'wanjiru' })).toEqual(['ann']);
    expect(await names({ search: '700111' })).toEqual(['ben']);
    expect(await names({ search: 'SHOP.example' })).toEqual(['cy_100']);
    // "_" is a character, not a wildcard.
    expect(await names({ search: 'cy_' })).toEqual(['cy_100']);
    expect(await names({ status: 'suspended' })).toEqual(['ben']);
    expect(await names({ planId: biz.id })).toEqual(['ben']);
    expect(await names({ tag: 'tower-a' })).toEqual(['ann', 'cy_100']);
    expect(await names({ status: 'active', tag: 'tower-a', search: 'ann' })).toEqual(['ann']);
    const page = await listSubscribers(t.app, actor, { limit: 2, offset: 2 });
    expect(page.total).toBe(4);
    expect(page.rows.map((r) => r.subscriber.username)).toEqual(['cy1000', 'cy_100']);

    // Router: the NAS that last sent accounting for the account.
    const { nas: r1 } = await createNas(t.app, actor, {
      name: 'tower-a',
      address: '127.0.1.1',
      secret: 's3cret-s3cret',
    });
    const { nas: r2 } = await createNas(t.app, actor, {
      name: 'tower-b',
      address: '127.0.1.2',
      secret: 's3cret-s3cret',
    });
    const session = (nasId: string, subscriberId: string, startedAt: Date, octets = 0n) =>
      t.app.db.insert(radiusSessions).values({
        tenantId: actor.tenantId,
        nasId,
        subscriberId,
        sessionKey: `${nasId}-${startedAt.getTime()}`,
        acctSessionId: String(startedAt.getTime()),
        userName: 'x',
        startedAt,
        lastUpdateAt: startedAt,
        stoppedAt: startedAt,
        outputOctets: octets,
        inputOctets: octets / 10n,
      });
    await session(r2.id, ann.id, new Date(Date.now() - 86_400_000), 5000n);
    await session(r1.id, ann.id, new Date(), 1000n);
    await session(r2.id, ben.id, new Date());
    expect(await names({ nasId: r1.id })).toEqual(['ann']);
    expect(await names({ nasId: r2.id })).toEqual(['ben']);
    const [annRow] = (await listSubscribers(t.app, actor, { search: 'ann' })).rows;
    expect(annRow?.routerName).toBe('tower-a');

    const usage = await subscriberUsage(t.app, actor, ann.id);
    expect(usage).toHaveLength(30);
    expect(usage.at(-1)).toMatchObject({ downloadOctets: 1000n, uploadOctets: 100n });
    expect(usage.at(-2)).toMatchObject({ downloadOctets: 5000n, uploadOctets: 500n });
    expect(usage.slice(0, 28).every((d) => d.downloadOctets === 0n)).toBe(true);
  });
});
