// The pay page speaks the tenant's language, as its hotspot login pages do (ADR 0034): a
// Swahili tenant's buyer reads Swahili from the "buy now" page and the methods to the paid
// page's code card — "Connecting this device…" included — with `<html lang="sw">`; an English
// tenant's page stays English. M-Pesa through the Daraja fake, the callback through the real
// inbox and job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenantLookup } from '@kasi/db';
import type { Actor } from '../app-context.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { listenLocal, type LocalServer } from '../testing/local-server.ts';
import { createPlan } from '../plans/plan.service.ts';
import { updateTenantSettings } from '../tenants/tenant.service.ts';
import { hotspotCheckout } from '../hotspot/hotspot-checkout.ts';
import { startFromLink } from './payment-attempt.service.ts';
import { paymentRoutes } from './payment-routes.ts';
import { createPlanPayLink } from './plan-purchase.ts';
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
let server: LocalServer;
let base = '';
let receipts = 0;

beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  const deps = paymentDeps(t, fakes);
  hooks = await startHooksServer(deps);
  const pay = paymentRoutes(deps);
  server = await listenLocal((req, res) => withTenantLookup(() => pay.handle(req, res)));
  base = server.base;
});

afterAll(async () => {
  await server.close();
  await hooks.close();
  await fakes.close();
  await t.close();
});

/** A "buy plan" link from a hotspot that gave its login address (the paid page goes back there). */
async function hotspotLink(w: PaymentWorld): Promise<string> {
  const plan = await createPlan(t.app, w.actor, {
    name: 'Siku moja',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    priceMinor: 5_000n,
    currency: 'KES',
    audience: 'voucher',
    validitySeconds: 86_400,
  });
  const link = await t.app.db.transaction((tx) =>
    createPlanPayLink(t.app, tx, {
      tenantId: w.actor.tenantId,
      planId: plan.id,
      loginUrl: 'http://10.5.50.1/login',
    }),
  );
  return new URL(link.url).pathname;
}

const html = async (path: string) => (await fetch(`${base}${path}`)).text();

/** Open page, waiting page, then paid page of one M-Pesa purchase. */
async function buyThrough(w: PaymentWorld, actor: Actor) {
  const path = await hotspotLink(w);
  const open = await html(path);
  fakes.daraja.setNextOutcome(0);
  const { attemptId, started } = await startFromLink(w.deps, {
    token: path.slice(3),
    gateway: 'mpesa',
    phone: '0712345678',
  });
  const waiting = await html(`${path}/a/${attemptId}`);
  const body = fakes.daraja.callbackBody(started.providerRef, 0, { receipt: `RKTLANG${++receipts}` });
  expect((await hooks.post(w.hookUrls.stk, body)).status).toBe(200);
  await applyPayments(w.deps, actor.tenantId);
  const paid = await html(`${path}/a/${attemptId}`);
  return { open, waiting, paid };
}

describe('the pay page language', () => {
  it('is Swahili for a Swahili tenant, from the methods to "Connecting this device…"', async () => {
    const w = await paymentWorld(t, paymentDeps(t, fakes));
    await updateTenantSettings(t.app, w.actor, { locale: 'sw-KE' });
    const { open, waiting, paid } = await buyThrough(w, w.actor);

    expect(open).toContain('<html lang="sw">');
    expect(open).toContain('Namba ya simu ya M-Pesa');
    expect(open).toContain('Lipa kwa M-Pesa');
    expect(open).not.toContain('Pay with M-Pesa');
    expect(waiting).toContain('Angalia simu yako.');
    expect(waiting).toContain('Ukurasa huu utajisasisha wenyewe.');

    expect(paid).toContain('<html lang="sw">');
    expect(paid).toContain('Malipo yamepokelewa. Asante!');
    expect(paid).toContain('Namba yako ya vocha:');
    expect(paid).toContain('<strong>Tunaunganisha kifaa hiki…</strong>');
    expect(paid).toContain('Ingia sasa');
    expect(paid).not.toContain('Connecting this device');
    expect(paid).not.toContain('Log in now');
    expect(paid).not.toContain('Payment received');

    // The "buy now" page before it, too.
    const device = { tenantId: w.actor.tenantId, routerId: '', mac: '', ip: '', dst: '', login: '' };
    const buy = await hotspotCheckout(t.app).choices(device, '/h/token/buy');
    expect(buy).toContain('<html lang="sw">');
    expect(buy).toContain('Chagua kifurushi.');
    expect(buy).toContain('siku 1');
    expect(buy).not.toContain('Choose a plan');
  }, 120_000);

  it('stays English for an English tenant', async () => {
    const w = await paymentWorld(t, paymentDeps(t, fakes));
    await updateTenantSettings(t.app, w.actor, { locale: 'en-KE' });
    const { open, paid } = await buyThrough(w, w.actor);
    expect(open).toContain('<html lang="en">');
    expect(open).toContain('Pay with M-Pesa');
    expect(paid).toContain('<strong>Connecting this device…</strong>');
    expect(paid).toContain('Payment received. Thank you!');
    expect(paid).not.toContain('Tunaunganisha');
  }, 120_000);
});
