import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, invoices, nas, payments, radiusSessions, subscribers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createSubscriber } from './subscriber.service.ts';
import { eraseSubscriber, exportSubscriber } from './subscriber-privacy.service.ts';
import { billingWorld } from '../billing/billing.testing.ts';
import { recordPayment } from '../billing/payment.service.ts';

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

    expect(await eraseSubscriber(t.app, actor, sub.id)).toEqual({
      erased: true,
      sessionsAnonymised: 1,
      keptForBilling: false,
    });
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

  it('erases a customer who was billed: the books stay, nothing identifies them', async () => {
    const w = await billingWorld(t);
    const id = await w.newSubscriber();
    await t.app.db
      .update(subscribers)
      .set({
        fullName: 'Dana Wanjiku',
        phone: '+254700000009',
        email: 'dana@example.test',
        notes: 'gate code 4411',
      })
      .where(eq(subscribers.id, id));
    const invoice = await w.invoice(id, 250_000n);
    await recordPayment(t.app, w.actor, {
      subscriberId: id,
      amountMinor: 100_000n,
      currency: 'KES',
      method: 'cash',
    });
    expect(await eraseSubscriber(t.app, w.actor, id)).toMatchObject({ erased: true });
    const [row] = await t.app.db.select().from(subscribers).where(eq(subscribers.id, id));
    expect(row).toMatchObject({
      status: 'terminated',
      fullName: null,
      phone: null,
      email: null,
      address: null,
      notes: null,
      macAddress: null,
      tags: [],
    });
    expect(row?.username).toMatch(/^erased-[0-9a-f]{12}$/);
    // The invoice and the payment are the operator's books: kept, still linked, with nothing personal.
    expect(await t.app.db.select().from(invoices).where(eq(invoices.id, invoice.id))).toHaveLength(1);
    expect(await t.app.db.select().from(payments).where(eq(payments.subscriberId, id))).toHaveLength(1);
    const exported = await exportSubscriber(t.app, w.actor, id);
    expect(exported.subscriber).toMatchObject({ fullName: null, phone: null });
    expect(exported.invoices.map((i) => i.id)).toEqual([invoice.id]);
    expect(exported.payments.map((p) => p.amountMinor)).toEqual([100_000n]);
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
