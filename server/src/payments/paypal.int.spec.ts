// PayPal end to end against the local PayPal fake: a buyer pays a pay link through an order
// created at click time and is thanked when they come back (the return captures); the same
// webhook 50 times at once and out of order gives one payment and one ledger entry; forged
// deliveries store nothing; an approved order whose buyer never came back is captured by
// reconciliation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { ledgerEntries, paymentAttempts, paymentEvents, payments } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { listenLocal, type LocalServer } from '../testing/local-server.ts';
import { balanceOf } from '../billing/ledger.ts';
import { createPayLink } from './pay-link.service.ts';
import { startFromLink } from './payment-attempt.service.ts';
import { reconcileStaleAttempts } from './payment-reconcile.job.ts';
import { paymentRoutes } from './payment-routes.ts';
import { testGateway } from './gateway-settings.service.ts';
import {
  applyPayments,
  paymentDeps,
  paymentWorld,
  startHooksServer,
  startPaymentFakes,
  type PaymentFakes,
  type PaymentWorld,
} from './payment.testing.ts';

let t: TestApp;
let fakes: PaymentFakes;
let w: PaymentWorld;
let hooks: Awaited<ReturnType<typeof startHooksServer>>;
let server: LocalServer;
let base = '';
beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  w = await paymentWorld(t, paymentDeps(t, fakes), 'USD');
  hooks = await startHooksServer(w.deps);
  const routes = paymentRoutes(w.deps);
  server = await listenLocal(routes.handle);
  base = server.base;
});
afterAll(async () => {
  await server.close();
  await hooks.close();
  await fakes.close();
  await t.close();
});

async function invoiceLink(amountMinor: bigint) {
  const sub = await w.newSubscriber();
  const inv = await w.invoice(sub, amountMinor);
  const made = await createPayLink(w.deps, w.actor, { subscriberId: sub, invoiceId: inv.id });
  return { sub, inv, token: made.url.split('/p/')[1]!, path: new URL(made.url).pathname };
}

const paymentsOf = (subscriberId: string) =>
  t.app.db.select().from(payments).where(eq(payments.subscriberId, subscriberId));
const ledgerOf = async (subscriberId: string) =>
  t.app.db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.subscriberId, subscriberId), eq(ledgerEntries.kind, 'payment')));
const attemptRow = async (id: string) =>
  (await t.app.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, id)))[0]!;

describe('PayPal through a pay link', () => {
  it('offers PayPal, redirects to an order made at click time, captures on return and thanks the buyer', async () => {
    const { sub, path } = await invoiceLink(4_250n);
    const page = await (await fetch(`${base}${path}`)).text();
    expect(page).toContain('Pay with PayPal');
    const before = fakes.paypal.orders.size;
    expect(before).toBe(fakes.paypal.orders.size); // nothing made until the click

    const click = await fetch(`${base}${path}/paypal`, { method: 'POST', redirect: 'manual' });
    expect(click.status).toBe(303);
    const approveUrl = click.headers.get('location')!;
    expect(approveUrl).toMatch(new RegExp(`^${fakes.paypal.url}/checkoutnow\\?token=`));
    const orderId = new URL(approveUrl).searchParams.get('token')!;
    const order = fakes.paypal.orders.get(orderId)!;
    expect(order.amount).toEqual({ currency_code: 'USD', value: '42.50' });

    // The buyer approves on PayPal, which sends them back to Kasi's attempt page.
    const approved = await fetch(approveUrl, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location')!);
    expect(back.searchParams.get('token')).toBe(orderId);
    const thanks = await (await fetch(`${base}${back.pathname}${back.search}`)).text();
    expect(thanks).toContain('Payment received');
    const captureId = fakes.paypal.orders.get(orderId)!.capture!.id;
    expect(thanks).toContain(captureId);

    const paid = await paymentsOf(sub);
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ amountMinor: 4_250n, method: 'paypal', reference: captureId });
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(0n);
    // Reloading the thank-you page captures nothing more.
    await fetch(`${base}${back.pathname}${back.search}`);
    expect(fakes.paypal.requests.filter((r) => r.path.endsWith(`${orderId}/capture`))).toHaveLength(1);
  });

  it('stores one event and records one payment and one ledger entry for 50 concurrent, out-of-order deliveries', async () => {
    const { sub, token } = await invoiceLink(9_900n);
    const { attemptId, started } = await startFromLink(w.deps, { token, gateway: 'paypal' });
    fakes.paypal.approve(started.providerRef);
    fakes.paypal.captureNow(started.providerRef);
    const resource = fakes.paypal.captureResource(started.providerRef);
    const completed = fakes.paypal.delivery('PAYMENT.CAPTURE.COMPLETED', resource);
    const pending = fakes.paypal.delivery('PAYMENT.CAPTURE.PENDING', { ...resource, status: 'PENDING' });
    // PayPal retries the same event (same id, fresh transmission) and a stale PENDING arrives late.
    const deliveries = Array.from({ length: 50 }, (_, i) =>
      i % 10 === 9
        ? pending
        : i % 2
          ? completed
          : fakes.paypal.delivery('PAYMENT.CAPTURE.COMPLETED', resource, {
              eventId: JSON.parse(completed.rawBody.toString()).id as string,
            }),
    ).reverse();
    const answers = await Promise.all(
      deliveries.map((d) => hooks.post(w.hookUrls.paypal, d.rawBody, d.headers)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    const stored = await t.app.db
      .select()
      .from(paymentEvents)
      .where(
        and(
          eq(paymentEvents.tenantId, w.actor.tenantId),
          eq(paymentEvents.gateway, 'paypal'),
          inArray(paymentEvents.providerRef, [started.providerRef]),
        ),
      );
    expect(stored.map((e) => e.type).sort()).toEqual(['pending', 'succeeded']);
    await applyPayments(w.deps, w.actor.tenantId, 2);
    expect(await paymentsOf(sub)).toHaveLength(1);
    expect(await ledgerOf(sub)).toHaveLength(1);
    expect(await attemptRow(attemptId)).toMatchObject({ status: 'succeeded', receipt: resource.id });
    // A late replay after the effect: acknowledged, nothing new.
    expect((await hooks.post(w.hookUrls.paypal, completed.rawBody, completed.headers)).status).toBe(200);
    expect(await ledgerOf(sub)).toHaveLength(1);
  });

  it('refuses forged, tampered and foreign deliveries with 400 and stores nothing', async () => {
    const { token } = await invoiceLink(1_000n);
    const { started } = await startFromLink(w.deps, { token, gateway: 'paypal' });
    fakes.paypal.approve(started.providerRef);
    fakes.paypal.captureNow(started.providerRef);
    const resource = fakes.paypal.captureResource(started.providerRef);
    const good = fakes.paypal.delivery('PAYMENT.CAPTURE.COMPLETED', resource);
    const bad = [
      fakes.paypal.delivery('PAYMENT.CAPTURE.COMPLETED', resource, { forge: true }),
      fakes.paypal.delivery('PAYMENT.CAPTURE.COMPLETED', resource, { webhookId: 'ANOTHERHOOK01' }),
      {
        rawBody: Buffer.from(good.rawBody.toString().replace('"10.00"', '"1000.00"')),
        headers: good.headers,
      },
      { rawBody: good.rawBody, headers: { 'content-type': 'application/json' } },
      { rawBody: Buffer.from('{"id":'), headers: good.headers },
    ];
    for (const d of bad) expect((await hooks.post(w.hookUrls.paypal, d.rawBody, d.headers)).status).toBe(400);
    const stored = await t.app.db
      .select()
      .from(paymentEvents)
      .where(eq(paymentEvents.providerRef, started.providerRef));
    expect(stored).toHaveLength(0);
    // Another tenant's path token is a 404 before any PayPal call.
    expect(
      (await hooks.post(w.hookUrls.paypal.replace(/[\w-]{8}$/, 'AAAAAAAA'), good.rawBody, good.headers))
        .status,
    ).toBe(404);
  });

  it('captures an approved order whose buyer never came back, from the reconciliation job', async () => {
    const { sub, token } = await invoiceLink(2_000n);
    const { attemptId, started } = await startFromLink(w.deps, { token, gateway: 'paypal' });
    fakes.paypal.approve(started.providerRef);
    const tally = await reconcileStaleAttempts(w.deps, new Date(Date.now() + 5 * 60_000));
    expect(tally.settled).toBeGreaterThanOrEqual(1);
    expect(await attemptRow(attemptId)).toMatchObject({ status: 'succeeded' });
    expect(await paymentsOf(sub)).toHaveLength(1);
  });

  it('keeps a buyer who has not approved pending, and tests the connection', async () => {
    const { token } = await invoiceLink(2_000n);
    const { attemptId } = await startFromLink(w.deps, { token, gateway: 'paypal' });
    await reconcileStaleAttempts(w.deps, new Date(Date.now() + 5 * 60_000));
    expect(await attemptRow(attemptId)).toMatchObject({ status: 'pending' });
    expect(await testGateway(w.deps, w.actor, { gateway: 'paypal' })).toEqual({
      ok: true,
      message: 'Connected',
    });
  });
});
