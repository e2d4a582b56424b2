// "Buy plan X" pay links: a hotspot customer with no account pays with M-Pesa, Stripe or PayPal
// (the fakes at the provider edge, webhooks through the real inbox and `payment.apply` job) and
// gets exactly one voucher code of the plan, sold online, shown on the pay page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, payLinks, paymentAttempts, payments, vouchers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { listenLocal, type LocalServer } from '../testing/local-server.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createVoucherBatch } from '../vouchers/voucher.service.ts';
import { revenueByChannel } from '../dashboard/dashboard-queries.ts';
import { startFromLink } from './payment-attempt.service.ts';
import { createPlanPayLink, issuedCodeForAttempt } from './plan-purchase.ts';
import { paymentRoutes } from './payment-routes.ts';
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
let hooks: Awaited<ReturnType<typeof startHooksServer>>;
let w: PaymentWorld;
let usd: PaymentWorld;
let server: LocalServer;
let base = '';
beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  const deps = paymentDeps(t, fakes);
  hooks = await startHooksServer(deps);
  w = await paymentWorld(t, deps);
  usd = await paymentWorld(t, deps, 'USD');
  const routes = paymentRoutes(deps);
  server = await listenLocal(routes.handle);
  base = server.base;
});
afterAll(async () => {
  await server.close();
  await hooks.close();
  await fakes.close();
  await t.close();
});

async function voucherPlan(world: PaymentWorld, priceMinor: bigint, currency = 'KES') {
  return createPlan(t.app, world.actor, {
    name: `Day ${Math.random().toString(36).slice(2, 8)}`,
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    priceMinor,
    currency,
    audience: 'voucher',
    validitySeconds: 86_400,
  });
}

async function planLink(world: PaymentWorld, planId: string, extra: { mac?: string; ip?: string } = {}) {
  const made = await t.app.db.transaction((tx) =>
    createPlanPayLink(t.app, tx, { tenantId: world.actor.tenantId, planId, ...extra }),
  );
  return { ...made, token: made.url.split('/p/')[1]!, path: new URL(made.url).pathname };
}

const attemptRow = async (id: string) =>
  (await t.app.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, id)))[0]!;
const onlineCodes = (tenantId: string, planId: string) =>
  t.app.db
    .select()
    .from(vouchers)
    .where(and(eq(vouchers.tenantId, tenantId), eq(vouchers.planId, planId), eq(vouchers.channel, 'online')));

describe('a "buy plan" pay link', () => {
  it('M-Pesa: the paid callback, replayed and delivered again, issues one code from stock, sold online, shown with "log in now"', async () => {
    const plan = await voucherPlan(w, 5_000n);
    await createVoucherBatch(t.app, w.actor, { planId: plan.id, quantity: 3 });
    const link = await planLink(w, plan.id, { mac: 'aa-bb-cc-dd-ee-01', ip: '10.5.50.20' });
    const [row] = await t.app.db.select().from(payLinks).where(eq(payLinks.id, link.id));
    expect(row).toMatchObject({
      kind: 'plan',
      subscriberId: null,
      clientMac: 'AA:BB:CC:DD:EE:01',
      clientIp: '10.5.50.20',
    });

    const page = await (await fetch(`${base}${link.path}`)).text();
    expect(page).toContain('50.00 KES');
    expect(page).toContain(plan.name);

    fakes.daraja.setNextOutcome(0);
    const { attemptId, started } = await startFromLink(w.deps, {
      token: link.token,
      gateway: 'mpesa',
      phone: '0712345678',
    });
    expect(fakes.daraja.pushes.at(-1)!.request).toMatchObject({ Amount: 50 });
    expect(await issuedCodeForAttempt(t.app.db, w.actor.tenantId, attemptId)).toBeNull();

    const body = fakes.daraja.callbackBody(started.providerRef, 0, { receipt: 'RKT0PLAN01' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => hooks.post(w.hookUrls.stk, body)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    await applyPayments(w.deps, w.actor.tenantId);
    expect((await hooks.post(w.hookUrls.stk, body)).status).toBe(200);

    const codes = await onlineCodes(w.actor.tenantId, plan.id);
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ status: 'sold', channel: 'online' });
    expect(codes[0]!.soldAt).toBeInstanceOf(Date);
    const a = await attemptRow(attemptId);
    expect(a).toMatchObject({
      status: 'succeeded',
      voucherId: codes[0]!.id,
      receipt: 'RKT0PLAN01',
      subscriberId: null,
    });
    // No subscriber, no ledger payment: the money is the online sale.
    expect(
      await t.app.db.select().from(payments).where(eq(payments.tenantId, w.actor.tenantId)),
    ).toHaveLength(0);
    const issued = await issuedCodeForAttempt(t.app.db, w.actor.tenantId, attemptId);
    expect(issued).toMatchObject({
      code: codes[0]!.code,
      planId: plan.id,
      mac: 'AA:BB:CC:DD:EE:01',
      ip: '10.5.50.20',
    });
    // Another tenant cannot learn it.
    expect(await issuedCodeForAttempt(t.app.db, usd.actor.tenantId, attemptId)).toBeNull();

    const paid = await (await fetch(`${base}${link.path}/a/${attemptId}`)).text();
    expect(paid).toContain('Payment received');
    expect(paid).toContain(`data-testid="voucher-code">${codes[0]!.code}<`);
    expect(paid).toContain(`/login?username=${codes[0]!.code}&amp;password=${codes[0]!.code}`);
    // The link itself is spent and shows the code again; a second payment cannot start.
    const again = await (await fetch(`${base}${link.path}`)).text();
    expect(again).toContain(codes[0]!.code);
    expect(again).not.toContain('Pay with M-Pesa');
    await expect(startFromLink(w.deps, { token: link.token, gateway: 'stripe' })).rejects.toMatchObject({
      code: 'PAYLINK.NOTHING_DUE',
    });

    const audit = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, w.actor.tenantId), eq(auditLog.action, 'voucher.sell_online')));
    expect(audit).toHaveLength(1);
    const revenue = await revenueByChannel(t.app.db, w.actor.tenantId);
    const online = [...revenue].find((r) => r.channel === 'online');
    expect(online).toMatchObject({ todayCount: 1, todayMinor: '5000' });
  });

  it('Stripe: generates a code when the plan has no stock, once, however often the webhook comes', async () => {
    const plan = await voucherPlan(w, 2_000n);
    const link = await planLink(w, plan.id);
    const { attemptId, started } = await startFromLink(w.deps, { token: link.token, gateway: 'stripe' });
    const session = fakes.stripe.pay(started.providerRef);
    const d = fakes.stripe.delivery('checkout.session.completed', session);
    for (let i = 0; i < 3; i++)
      expect((await hooks.post(w.hookUrls.stripe, d.rawBody, d.headers)).status).toBe(200);
    await applyPayments(w.deps, w.actor.tenantId);
    // The buyer coming back asks Stripe too: still one code.
    const back = await (await fetch(`${base}${link.path}/a/${attemptId}`)).text();
    const codes = await onlineCodes(w.actor.tenantId, plan.id);
    expect(codes).toHaveLength(1);
    expect(back).toContain(codes[0]!.code);
    expect((await attemptRow(attemptId)).voucherId).toBe(codes[0]!.id);
  });

  it('PayPal: capture on return issues the code', async () => {
    const plan = await voucherPlan(usd, 300n, 'USD');
    await createVoucherBatch(t.app, usd.actor, { planId: plan.id, quantity: 1 });
    const link = await planLink(usd, plan.id);
    const { attemptId, started } = await startFromLink(usd.deps, { token: link.token, gateway: 'paypal' });
    fakes.paypal.approve(started.providerRef);
    const back = await (await fetch(`${base}${link.path}/a/${attemptId}`)).text();
    const codes = await onlineCodes(usd.actor.tenantId, plan.id);
    expect(codes).toHaveLength(1);
    expect(back).toContain(codes[0]!.code);
    const resource = fakes.paypal.captureResource(started.providerRef);
    const completed = fakes.paypal.delivery('PAYMENT.CAPTURE.COMPLETED', resource);
    expect((await hooks.post(usd.hookUrls.paypal, completed.rawBody, completed.headers)).status).toBe(200);
    await applyPayments(usd.deps, usd.actor.tenantId);
    expect(await onlineCodes(usd.actor.tenantId, plan.id)).toHaveLength(1);
  });

  it('a failed M-Pesa payment issues nothing and the link can be paid again', async () => {
    const plan = await voucherPlan(w, 1_000n);
    const link = await planLink(w, plan.id);
    fakes.daraja.setNextOutcome(1032);
    const { started } = await startFromLink(w.deps, {
      token: link.token,
      gateway: 'mpesa',
      phone: '0712345678',
    });
    await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(started.providerRef, 1032));
    await applyPayments(w.deps, w.actor.tenantId);
    expect(await onlineCodes(w.actor.tenantId, plan.id)).toHaveLength(0);
    const page = await (await fetch(`${base}${link.path}`)).text();
    expect(page).toContain('10.00 KES');
  });

  it('refuses bad input by field and writes nothing', async () => {
    const subscriberPlan = w.planId; // audience 'subscriber'
    const make = (input: Record<string, unknown>) =>
      t.app.db.transaction((tx) =>
        createPlanPayLink(t.app, tx, { tenantId: w.actor.tenantId, planId: subscriberPlan, ...input }),
      );
    await expect(make({})).rejects.toMatchObject({ code: 'PAYLINK.PLAN_NOT_SOLD' });
    const plan = await voucherPlan(w, 1_000n);
    await expect(make({ planId: plan.id, mac: 'nope' })).rejects.toMatchObject({
      code: 'PAYLINK.INVALID',
      details: { field: 'mac' },
    });
    await expect(make({ planId: plan.id, ip: '300.1.1.1' })).rejects.toMatchObject({
      details: { field: 'ip' },
    });
    await expect(make({ planId: usd.planId })).rejects.toMatchObject({ code: 'PLAN.NOT_FOUND' });
    const links = await t.app.db.select().from(payLinks).where(eq(payLinks.planId, plan.id));
    expect(links).toHaveLength(0);
  });
});
