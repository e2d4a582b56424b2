// Non-payment as the router sees it: the billing run suspends an overdue account (radiusd
// answers with the walled garden, the live session gets a Disconnect-Request at the router's
// listening socket), and a payment restores it through the restore job within seconds (a
// Disconnect again, and the next login gets the full rate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { billingAccounts, invoices, radiusSessions, subscribers } from '@kasi/db';
import { radclientLogin, startRadiusd } from '../testing/radiusd-process.ts';
import {
  insertLiveSession,
  newRadiusTenant,
  startRadiusWorld,
  type RadiusWorld,
} from '../testing/radius-tenant.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { createPlan } from '../plans/plan.service.ts';
import { addSubscriber } from '../subscribers/subscriber.service.ts';
import { addDays, localDay } from './billing-calendar.ts';
import { billingHandlers } from './billing-jobs.ts';
import { runBilling } from './billing-run.ts';
import { updateDunningPolicy } from './dunning-policy.service.ts';
import { recordPayment } from './payment.service.ts';

const SECRET = 'dunning-test-secret';
let world: RadiusWorld;

beforeAll(async () => {
  world = await startRadiusWorld({ secret: SECRET });
});
afterAll(() => world.close());

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('non-payment at the router', () => {
  it('the run suspends into the walled garden with a Disconnect; a payment restores full service within seconds', async () => {
    const tenant = await newRadiusTenant(world);
    const { actor, app } = tenant;
    const plan = await createPlan(app, actor, {
      name: 'Home garden',
      downloadBps: 10_000_000,
      uploadBps: 2_000_000,
      priceMinor: 250_000n,
      currency: 'KES',
      audience: 'subscriber',
      exhaustedAction: 'walled_garden',
      walledGardenList: 'unpaid',
    });
    // Any day may suspend here, so the test does not depend on the weekday it runs.
    await updateDunningPolicy(app, actor, { noSuspendWeekdays: [], graceDays: 3 });
    const { subscriber: jane, password } = await addSubscriber(app, actor, {
      username: 'jane',
      planId: plan.id,
    });
    const radiusd = await startRadiusd(world.t.url, tenant.masterKey);
    const workers = await startWorkers(app.jobs, billingHandlers(app), app.log);
    try {
      const today = localDay(new Date(), 'UTC');
      expect((await runBilling(app, { tenantId: actor.tenantId, day: today })).issued).toBe(1);
      await insertLiveSession({ tenant, subscriberId: jane.id, user: 'jane', key: 'jane-1' });
      const later = addDays(today, 8);
      const run = await runBilling(app, {
        tenantId: actor.tenantId,
        day: later,
        at: new Date(`${later}T12:00:00Z`),
      });
      expect(run.suspended).toBe(1);
      expect(world.router.disconnects.map((d) => d.user)).toEqual(['jane']);
      const [acct] = await app.db
        .select()
        .from(billingAccounts)
        .where(eq(billingAccounts.subscriberId, jane.id));
      expect(acct?.lastDisconnect).toMatchObject({ action: 'suspend', results: [{ status: 'ack' }] });
      // The router ends the session (accounting Stop); the device logs in again.
      await app.db
        .update(radiusSessions)
        .set({ stoppedAt: new Date() })
        .where(eq(radiusSessions.sessionKey, 'jane-1'));
      expect(await radclientLogin(radiusd.port, SECRET, 'jane', password)).toMatchObject({
        code: 'Access-Accept',
        addressList: 'unpaid',
      });
      await insertLiveSession({ tenant, subscriberId: jane.id, user: 'jane', key: 'jane-2' });

      const [inv] = await app.db.select().from(invoices).where(eq(invoices.subscriberId, jane.id));
      const paidAt = Date.now();
      await recordPayment(app, actor, {
        subscriberId: jane.id,
        invoiceId: inv!.id,
        amountMinor: inv!.totalMinor,
        currency: 'KES',
        method: 'cash',
      });
      const restored = await until(
        async () => (await app.db.select().from(subscribers).where(eq(subscribers.id, jane.id)))[0]?.status,
        (s) => s === 'active',
      );
      expect(restored).toBe('active');
      const sent = await until(
        async () => world.router.disconnects.length,
        (n) => n === 2,
      );
      expect(sent).toBe(2);
      expect(world.router.disconnects[1]!.at - paidAt).toBeLessThan(5_000);
      // The outcome is kept once the router has answered.
      const after = await until(
        async () =>
          (await app.db.select().from(billingAccounts).where(eq(billingAccounts.subscriberId, jane.id)))[0],
        (a) => (a?.lastDisconnect as { action?: string } | null)?.action === 'restore',
      );
      expect(after?.lastDisconnect).toMatchObject({ action: 'restore', results: [{ status: 'ack' }] });
      // The router ends the walled-garden session; the next login gets full service.
      await app.db
        .update(radiusSessions)
        .set({ stoppedAt: new Date() })
        .where(eq(radiusSessions.sessionKey, 'jane-2'));
      expect(await radclientLogin(radiusd.port, SECRET, 'jane', password)).toMatchObject({
        code: 'Access-Accept',
        rateLimit: '2M/10M',
        addressList: null,
      });
    } finally {
      await workers.stop();
      await radiusd.stop();
    }
  });
});
