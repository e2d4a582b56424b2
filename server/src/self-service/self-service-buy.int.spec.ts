// Buying a code from /my (issue 14 item 6): a signed-in subscriber picks a voucher plan on sale,
// gets a buy-plan pay link naming them, pays through the M-Pesa fake (webhook through the real
// inbox and `payment.apply`), and /my then lists the code with its state and expiry — for them
// and nobody else. Plans not on sale and other tenants' plans are refused by name.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, payLinks, vouchers, withTenant } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { startFromLink } from '../payments/payment-attempt.service.ts';
import {
  applyPayments,
  paymentDeps,
  paymentWorld,
  startHooksServer,
  startPaymentFakes,
  type PaymentFakes,
  type PaymentWorld,
} from '../payments/payment.testing.ts';
import { selfServiceHandler } from './self-service.route.ts';
import { freshPhone, selfServiceWorld, type SelfServiceWorld } from './self-service.testing.ts';

let t: TestApp;
let fakes: PaymentFakes;
let hooks: Awaited<ReturnType<typeof startHooksServer>>;
let w: SelfServiceWorld & PaymentWorld;
let other: SelfServiceWorld;
let server: Server;
let base = '';
beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  const deps = paymentDeps(t, fakes);
  hooks = await startHooksServer(deps);
  w = await selfServiceWorld(t, await paymentWorld(t, deps));
  other = await selfServiceWorld(t);
  const handle = selfServiceHandler(t.app);
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await hooks?.close();
  await fakes?.close();
  await t.close();
});

const post = (path: string, body: unknown, cookie: string) =>
  fetch(`${base}/api/my/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

async function signedIn(world: SelfServiceWorld) {
  const phone = freshPhone();
  const sub = await world.subscriberWithPhone(phone);
  const sent = await fetch(`${base}/api/my/otp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  });
  expect(sent.status).toBe(202);
  const res = await fetch(`${base}/api/my/otp/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, code: await world.lastCode(phone) }),
  });
  expect(res.status).toBe(200);
  return { ...sub, phone, cookie: cookieOf(res) };
}

interface Account {
  onSale: {
    id: string;
    name: string;
    priceMinor: string;
    currency: string;
    validitySeconds: number | null;
  }[];
  codes: { code: string; plan: string; state: string; soldAt: string; expiresAt: string | null }[];
}
const account = async (cookie: string) => {
  const res = await fetch(`${base}/api/my/account`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return (await res.json()) as Account;
};

const plan = (name: string, priceMinor: bigint, audience: 'voucher' | 'subscriber' | 'both') =>
  createPlan(t.app, w.actor, {
    name: `${name} ${Math.random().toString(36).slice(2, 7)}`,
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    priceMinor,
    currency: 'KES',
    audience,
    validitySeconds: 86_400,
  });

describe('buying a code from /my', () => {
  it('lists the plans on sale, buys one through M-Pesa and shows the code bought with its state and expiry', async () => {
    const day = await plan('Day', 5_000n, 'voucher');
    const week = await plan('Week', 20_000n, 'both');
    const homeOnly = await plan('Home 20M', 400_000n, 'subscriber');
    const me = await signedIn(w);
    const bystander = await signedIn(w);

    const before = await account(me.cookie);
    const onSale = before.onSale.map((p) => p.id);
    expect(onSale).toEqual(expect.arrayContaining([day.id, week.id]));
    expect(onSale).not.toContain(homeOnly.id);
    expect(before.onSale.find((p) => p.id === day.id)).toMatchObject({
      priceMinor: '5000',
      currency: 'KES',
      validitySeconds: 86_400,
    });
    expect(before.codes).toEqual([]);

    const bought = await post('buy', { planId: day.id }, me.cookie);
    expect(bought.status).toBe(200);
    const { path } = (await bought.json()) as { path: string };
    expect(path).toMatch(/^\/p\/[\w-]{16,}$/);
    const token = path.slice(3);
    const [link] = await withTenant(w.actor.tenantId, () =>
      t.app.db
        .select()
        .from(payLinks)
        .where(and(eq(payLinks.tenantId, w.actor.tenantId), eq(payLinks.planId, day.id))),
    );
    expect(link).toMatchObject({ kind: 'plan', subscriberId: me.id, createdBy: null });
    const [audit] = await withTenant(w.actor.tenantId, () =>
      t.app.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, w.actor.tenantId), eq(auditLog.entityId, link!.id))),
    );
    expect(audit).toMatchObject({
      action: 'payment.link.create',
      actor: `subscriber:${me.username} (self-service)`,
    });

    fakes.daraja.setNextOutcome(0);
    const { started } = await startFromLink(w.deps, { token, gateway: 'mpesa', phone: '0712345678' });
    const body = fakes.daraja.callbackBody(started.providerRef, 0, { receipt: 'RKT0MYBUY1' });
    expect((await hooks.post(w.hookUrls.stk, body)).status).toBe(200);
    await applyPayments(w.deps, w.actor.tenantId);

    const [code] = await withTenant(w.actor.tenantId, () =>
      t.app.db
        .select()
        .from(vouchers)
        .where(and(eq(vouchers.tenantId, w.actor.tenantId), eq(vouchers.planId, day.id))),
    );
    expect(code).toMatchObject({ channel: 'online', status: 'sold' });
    const after = await account(me.cookie);
    expect(after.codes).toEqual([
      {
        code: code!.code,
        plan: day.name,
        state: 'unused',
        soldAt: code!.soldAt!.toISOString(),
        expiresAt: code!.expiresAt?.toISOString() ?? null,
      },
    ]);
    // Nobody else's /my shows it.
    expect((await account(bystander.cookie)).codes).toEqual([]);

    // Its state follows the code: once past its expiry it reads expired, with the date.
    const past = new Date(Date.now() - 60_000);
    await withTenant(w.actor.tenantId, () =>
      t.app.db.update(vouchers).set({ expiresAt: past }).where(eq(vouchers.id, code!.id)),
    );
    expect((await account(me.cookie)).codes[0]).toMatchObject({
      state: 'expired',
      expiresAt: past.toISOString(),
    });
  });

  it('refuses a plan not sold as vouchers, another tenant’s plan, a bad id, and no session', async () => {
    const me = await signedIn(w);
    const homeOnly = await plan('Home 30M', 500_000n, 'subscriber');
    const refused = await post('buy', { planId: homeOnly.id }, me.cookie);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('PAYLINK.PLAN_NOT_SOLD');
    const foreign = await post('buy', { planId: other.planId }, me.cookie);
    expect(foreign.status).toBe(404);
    const bad = await post('buy', { planId: 'x' }, me.cookie);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('planId');
    expect((await post('buy', { planId: homeOnly.id }, '')).status).toBe(401);
  });
});
