// "Buy now ends logged in" (issue 14, ADR 0024): a phone at 360 px behind an emulated MikroTik
// hotspot opens the router's login page (Kasi's bundle, installed by a change plan and served
// by the emulator's hotspot web server), taps Buy now, chooses a plan on Kasi, pays through the
// M-Pesa fake (callback through the production server's inbox and job), sees its code — and,
// with nothing typed, the paid page takes it back to its router's login, whose page logs in
// by CHAP; the router's RADIUS request (made by this harness as the router would) is accepted
// by the real radiusd, and the device shows in the emulator's /ip/hotspot/active.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { fillRouterVariables } from '@kasi/domain';
import { DARAJA_TEST_CREDENTIALS, startDarajaFake, type DarajaFake } from '@kasi/payments/testing';
import {
  startHotspotPortal,
  startRouterOsSim,
  type HotspotLoginAttempt,
  type HotspotPortal,
  type RouterOsSim,
} from '@kasi/routeros-sim';
import { apiAs } from '../support/api-client.ts';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { hotspotRadiusCheck } from '../support/hotspot-radius.ts';

const SECRET = 'e2e-hotspot-buy-secret-5';
const OWNER = { email: 'owner@juma.test', password: 'correct horse battery' };
const DEVICE = { mac: 'A4:5E:60:11:22:41', ip: '10.5.50.41' };
let kasi: KasiProcess;
let daraja: DarajaFake;
let sim: RouterOsSim;
let portal: HotspotPortal;
let browser: Browser;
let stkUrl = '';
const checks: { attempt: HotspotLoginAttempt; code: string | null }[] = [];

beforeAll(async () => {
  daraja = await startDarajaFake();
  sim = await startRouterOsSim({
    version: '7.18',
    users: [{ name: 'kasi', password: 'api-pw-2', group: 'full' }],
  });
  kasi = await startKasi({ KASI_MPESA_API_URL: daraja.url, KASI_JOB_POLL_SECONDS: '0.5' });
  await kasi.cli(
    'tenant:create',
    '--slug',
    'juma',
    '--name',
    'Juma Wi-Fi',
    '--currency',
    'KES',
    '--owner-email',
    OWNER.email,
    '--owner-password',
    OWNER.password,
  );
  await kasi.cli(
    'nas:add',
    '--tenant',
    'juma',
    '--name',
    'tower',
    '--address',
    '127.0.0.1',
    '--secret',
    SECRET,
  );
  await kasi.cli('router:allow-cidrs', '--tenant', 'juma', '--cidrs', '127.0.0.1/32');
  const api = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  await api.plan.create.mutate({
    name: 'Day pass',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    priceMinor: 5_000n,
    currency: 'KES',
    audience: 'voucher',
    validitySeconds: 86_400,
  });
  await api.gateway.set.mutate({ gateway: 'mpesa', config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' } });
  await api.gateway.setEnabled.mutate({ gateway: 'mpesa', enabled: true });
  const [gw] = await api.gateway.list.query();
  stkUrl = (gw?.webhookUrls as { stkCallback: string }).stkCallback;

  const router = await api.router.create.mutate({
    name: 'tower',
    host: '127.0.0.1',
    port: sim.port,
    tls: false,
    allowPlain: true,
    username: 'kasi',
    password: 'api-pw-2',
  });
  const proposed = await api.router.proposeHotspotInstall.mutate({
    routerId: router.id,
    kasiUrl: kasi.baseUrl,
  });
  if (proposed.upToDate) throw new Error('expected a plan');
  await api.router.decide.mutate({ id: proposed.plan.id, decision: 'approve' });
  const applied = await api.router.applyPlan.mutate({ id: proposed.plan.id });
  expect(applied.error ?? applied.status).toBe('applied');

  const radius = hotspotRadiusCheck({ port: kasi.radiusAuthPort, secret: SECRET });
  sim.state.hotspotAuthenticator = async (attempt) => {
    const reply = await radius(attempt);
    checks.push({ attempt, code: reply.code });
    return reply.code === 'Access-Accept'
      ? null
      : (reply.attributes['Reply-Message'] ?? 'RADIUS server rejected');
  };
  portal = await startHotspotPortal(sim.state, {
    fill: (template, vars) => fillRouterVariables(template, vars).html,
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await kasi?.stop();
  await sim?.close();
  await daraja?.close();
});

const onKasi = (url: string) => kasi.baseUrl + new URL(url).pathname;

describe('buy now on the hotspot login page', () => {
  it('pays with M-Pesa on a 360 px phone and ends logged in, with nothing typed but the phone number', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      extraHTTPHeaders: { 'x-sim-host': `${DEVICE.mac} ${DEVICE.ip}` },
    });
    const page = await context.newPage();
    await page.goto(`${portal.url}/login`);
    await page.getByRole('link', { name: 'Buy now' }).click();

    // Kasi's plan list for this device, then the pay page.
    await page.getByRole('link', { name: /Day pass/ }).click();
    await page.getByTestId('amount').waitFor();
    expect(await page.getByTestId('amount').textContent()).toContain('50.00 KES');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    daraja.setNextOutcome('pending');
    await page.getByLabel('M-Pesa phone number').fill('0712 345 678');
    await page.getByRole('button', { name: 'Pay with M-Pesa' }).click();
    await page.getByText('Check your phone.').waitFor();
    const push = daraja.pushes.at(-1)!;
    daraja.settle(push.checkoutRequestId, 0);
    const body = daraja.callbackBody(push.checkoutRequestId, 0, { receipt: 'RKT9HOT001' });
    const res = await fetch(onKasi(stkUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);

    // The code, then — by itself — back to the router's login, which logs the device in.
    const codeEl = page.getByTestId('voucher-code');
    await codeEl.waitFor({ timeout: 20_000 });
    const code = (await codeEl.textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{8,12}$/);
    await page.getByText('Connecting this device').waitFor();
    await page.getByText('You are connected').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).origin).toBe(portal.url);

    const active = sim.state.rows('/ip/hotspot/active').find((r) => r.address === DEVICE.ip);
    expect(active).toMatchObject({
      user: code,
      'mac-address': DEVICE.mac,
      'login-by': 'http-chap',
      radius: 'true',
    });
    expect(checks.map((c) => [c.attempt.user, c.code])).toEqual([[code, 'Access-Accept']]);
    expect((await context.cookies()).length).toBe(0);
    await context.close();
  });
});
