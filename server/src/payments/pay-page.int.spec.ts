import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { payments } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { listenLocal, type LocalServer } from '../testing/local-server.ts';
import { createPayLink } from './pay-link.service.ts';
import { updateTenantSettings } from '../tenants/tenant.service.ts';
import { dataUrl, solidPng } from '../settings/png.testing.ts';
import { paymentRoutes } from './payment-routes.ts';
import {
  paymentDeps,
  paymentWorld,
  startPaymentFakes,
  type PaymentFakes,
  type PaymentWorld,
} from './payment.testing.ts';

let t: TestApp;
let fakes: PaymentFakes;
let w: PaymentWorld;
let server: LocalServer;
let base = '';
beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  w = await paymentWorld(t, paymentDeps(t, fakes));
  const routes = paymentRoutes(w.deps);
  server = await listenLocal(routes.handle);
  base = server.base;
});
afterAll(async () => {
  await server.close();
  await fakes.close();
  await t.close();
});

async function link(amountMinor: bigint) {
  const sub = await w.newSubscriber();
  const inv = await w.invoice(sub, amountMinor);
  const made = await createPayLink(w.deps, w.actor, { subscriberId: sub, invoiceId: inv.id });
  return { sub, path: new URL(made.url).pathname };
}

const post = (path: string, form: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

describe('the pay page', () => {
  it('sends a card buyer to a Checkout Session made at click time and thanks them on return', async () => {
    const { sub, path } = await link(80_000n);
    const page = await fetch(`${base}${path}`);
    const html = await page.text();
    expect(html).toContain('800.00 KES');
    expect(html).toContain('Pay by card');
    expect(page.headers.get('content-security-policy')).toContain('form-action');
    expect(fakes.stripe.sessions.size).toBe(0);

    const go = await post(`${path}/stripe`);
    expect(go.status).toBe(303);
    const checkout = go.headers.get('location') ?? '';
    expect(checkout).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const session = [...fakes.stripe.sessions.values()].at(-1)!;
    fakes.stripe.pay(session.id);
    // Stripe's success_url brings the buyer back to the attempt page.
    const back = await fetch(`${base}${path}/a/${session.client_reference_id}`);
    expect(await back.text()).toContain('Payment received. Thank you!');
    expect(await t.app.db.select().from(payments).where(eq(payments.subscriberId, sub))).toHaveLength(1);
  });

  it('shows M-Pesa refusals in plain words on the page and keeps the number typed', async () => {
    const { path } = await link(10_000n);
    const bad = await post(`${path}/mpesa`, { phone: '12345' });
    expect(bad.status).toBe(200);
    const html = await bad.text();
    expect(html).toContain('Enter a Safaricom number such as 0712 345 678');
    expect(html).toContain('value="12345"');

    fakes.daraja.failNextPush('500.001.1001', 'Unable to lock subscriber');
    const busy = await post(`${path}/mpesa`, { phone: '0712345678' });
    expect(await busy.text()).toContain('another payment is in progress on this phone');
  });

  it('follows an attempt by its id in the URL, and only under its own link', async () => {
    const a = await link(10_000n);
    const b = await link(10_000n);
    fakes.daraja.setNextOutcome('pending');
    const go = await post(`${a.path}/mpesa`, { phone: '0712345678' });
    const attemptPath = go.headers.get('location') ?? '';
    expect(attemptPath).toMatch(new RegExp(`^${a.path}/a/[0-9a-f-]{36}$`));
    const status = await fetch(`${base}${attemptPath}/status`);
    expect(await status.json()).toMatchObject({ status: 'pending' });
    const waiting = await (await fetch(`${base}${attemptPath}`)).text();
    expect(waiting).toContain('Check your phone.');
    expect(waiting).not.toContain('role="alert"');
    const foreign = attemptPath.replace(a.path, b.path);
    expect((await fetch(`${base}${foreign}`)).status).toBe(404);
  });

  it('gives an unknown link the same page as an expired one', async () => {
    const unknown = await fetch(`${base}/p/AAAAAAAAAAAAAAAAAAAAAA`);
    const garbage = await fetch(`${base}/p/x`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe(await garbage.text());
  });

  it("shows the operator's logo from a cookie-free, cacheable address under the link, and none when unset", async () => {
    const png = solidPng(24, 12, [200, 30, 30]);
    await updateTenantSettings(t.app, w.actor, { logo: dataUrl('image/png', png), brandColour: '#8a1c1c' });
    try {
      const { path } = await link(10_000n);
      const html = await (await fetch(`${base}${path}`)).text();
      const src = /<img src="([^"]+)" alt="" data-testid="brand-logo">/.exec(html)?.[1] ?? '';
      expect(src).toMatch(new RegExp(`^${path}/logo\\?v=[0-9a-f]{12}$`));
      expect(html).toContain('header.band{background:#8a1c1c;color:#fff}');
      const logo = await fetch(`${base}${src}`);
      expect(logo.status).toBe(200);
      expect(logo.headers.get('content-type')).toBe('image/png');
      expect(logo.headers.get('cache-control')).toContain('immutable');
      expect(logo.headers.get('set-cookie')).toBeNull();
      expect(Buffer.from(await logo.arrayBuffer()).equals(png)).toBe(true);

      // A new logo is a new address (the old one stays cached for good in browsers).
      await updateTenantSettings(t.app, w.actor, { logo: dataUrl('image/png', solidPng(8, 8)) });
      const again = await (await fetch(`${base}${path}`)).text();
      const src2 = /<img src="([^"]+)"/.exec(again)?.[1] ?? '';
      expect(src2).toMatch(/\/logo\?v=[0-9a-f]{12}$/);
      expect(src2).not.toBe(src);

      // No logo: the page renders with the name only, and the logo address is a 404.
      await updateTenantSettings(t.app, w.actor, { logo: null, brandColour: null });
      const plain = await fetch(`${base}${path}`);
      expect(plain.status).toBe(200);
      const plainHtml = await plain.text();
      expect(plainHtml).toContain('<header><h1>');
      expect(plainHtml).not.toContain('<img');
      expect((await fetch(`${base}${path}/logo`)).status).toBe(404);
      // An unknown link's logo address is the same 404 page as the link's.
      expect((await fetch(`${base}/p/AAAAAAAAAAAAAAAAAAAAAA/logo`)).status).toBe(404);
    } finally {
      await updateTenantSettings(t.app, w.actor, { logo: null, brandColour: null });
    }
  });
});
