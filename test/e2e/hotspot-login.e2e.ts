// The hotspot login page end to end: installed on an emulated router through a change plan
// (the router's /tool/fetch downloads it from the running Kasi), served by the emulator's
// hotspot web server as RouterOS serves it (variables filled in, the octal chap-id and
// chap-challenge kept per device until its login attempt), submitted in Chromium — which
// computes the CHAP response like MikroTik's page — and checked as the router checks it: a
// RADIUS Access-Request with CHAP-Password and CHAP-Challenge (made by this harness, as the
// router would) that the real radiusd accepts; the device then shows in /ip/hotspot/active.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fillRouterVariables } from '@kasi/domain';
import {
  startHotspotPortal,
  startRouterOsSim,
  type HotspotHost,
  type HotspotLoginAttempt,
  type HotspotPortal,
  type RouterOsSim,
} from '@kasi/routeros-sim';
import { apiAs } from '../support/api-client.ts';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { hotspotRadiusCheck } from '../support/hotspot-radius.ts';

const SECRET = 'e2e-hotspot-secret-77';
const OWNER = { email: 'owner@mama.test', password: 'correct horse battery' };
let kasi: KasiProcess;
let sim: RouterOsSim;
let browser: Browser;
let portal: HotspotPortal;
let codes: string[] = [];
const pages: Record<string, string> = {};
let omitMac = false;

/** What the router asked radiusd, and what radiusd answered. */
const checks: { attempt: HotspotLoginAttempt; code: string | null; output: string }[] = [];

beforeAll(async () => {
  sim = await startRouterOsSim({
    version: '7.18',
    users: [{ name: 'kasi', password: 'api-pw-1', group: 'full' }],
  });
  kasi = await startKasi();
  await kasi.cli(
    'tenant:create',
    '--slug',
    'mama',
    '--name',
    'Mama Net',
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
    'mama',
    '--name',
    'tower',
    '--address',
    '127.0.0.1',
    '--secret',
    SECRET,
  );
  await kasi.cli('router:allow-cidrs', '--tenant', 'mama', '--cidrs', '127.0.0.1/32');
  const api = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  const plan = await api.plan.create.mutate({
    name: 'Hour',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 3600,
    priceMinor: 2000n,
    currency: 'KES',
  });
  const batch = await api.voucher.createBatch.mutate({ planId: plan.id, quantity: 3 });
  codes = (await api.voucher.codes.query({ batchId: batch.id })).rows.map((r) => r.code);

  // Install through the change plan: the emulated router fetches the files from Kasi.
  const router = await api.router.create.mutate({
    name: 'tower',
    host: '127.0.0.1',
    port: sim.port,
    tls: false,
    allowPlain: true,
    username: 'kasi',
    password: 'api-pw-1',
  });
  const proposed = await api.router.proposeHotspotInstall.mutate({
    routerId: router.id,
    kasiUrl: kasi.baseUrl,
  });
  if (proposed.upToDate) throw new Error('expected a plan');
  await api.router.decide.mutate({ id: proposed.plan.id, decision: 'approve' });
  const applied = await api.router.applyPlan.mutate({ id: proposed.plan.id });
  expect(applied.error ?? applied.status).toBe('applied');
  const dir = sim.state.rows('/ip/hotspot/profile')[0]?.['html-directory'] ?? '';
  for (const f of sim.state.rows('/file'))
    if (f.name?.startsWith(`${dir}/`)) pages[f.name.slice(dir.length + 1)] = f.contents ?? '';

  // The router's RADIUS client: every login the hotspot page makes is an Access-Request to radiusd.
  const radius = hotspotRadiusCheck({ port: kasi.radiusAuthPort, secret: SECRET });
  sim.state.hotspotAuthenticator = async (attempt) => {
    const reply = await radius(attempt);
    checks.push({ attempt, code: reply.code, output: reply.output });
    return reply.code === 'Access-Accept'
      ? null
      : (reply.attributes['Reply-Message'] ?? 'RADIUS server rejected');
  };
  // The router's hotspot web server, filling its variables as RouterOS does.
  portal = await startHotspotPortal(sim.state, {
    fill: (template, vars) =>
      fillRouterVariables(
        template,
        omitMac ? Object.fromEntries(Object.entries(vars).filter(([name]) => name !== 'mac')) : vars,
      ).html,
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await kasi?.stop();
  await sim?.close();
});

/** A phone at 360 px behind the hotspot, known to the router by its MAC and IP. */
async function phone(host: HotspotHost): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    extraHTTPHeaders: { 'x-sim-host': `${host.mac} ${host.ip}` },
  });
  return context.newPage();
}

const activeOf = (host: HotspotHost) =>
  sim.state.rows('/ip/hotspot/active').find((r) => r.address === host.ip);

/**
 * Waits up to 45 s (a loaded CI machine) for the device in /ip/hotspot/active. A login the
 * router's RADIUS check refused (or got no answer to) since `since` ends the wait at once,
 * saying what radiusd answered: a failure then tells a refusal from a slow machine.
 */
async function loggedIn(host: HotspotHost, since: number) {
  for (let i = 0; i < 900 && !activeOf(host); i++) {
    const refused = checks.slice(since).find((c) => c.code !== 'Access-Accept');
    if (refused) {
      throw new Error(
        `the router's RADIUS check for ${refused.attempt.user} got ${refused.code ?? 'no answer after 3 tries'}: ${refused.output.slice(-600)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return activeOf(host);
}

describe('the generated hotspot login page', () => {
  it('was installed through the change plan with every page and the CHAP helper', () => {
    expect(Object.keys(pages).sort()).toEqual([
      'alogin.html',
      'error.html',
      'login.html',
      'logout.html',
      'md5.js',
      'redirect.html',
      'rlogin.html',
      'status.html',
    ]);
  });

  it('computes the CHAP response in Chromium like MikroTik’s page, and radiusd accepts the code', async () => {
    const host = { mac: 'A4:5E:60:11:22:01', ip: '10.5.50.21' };
    const page = await phone(host);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // (The browser's own favicon request gets a 404 from this small router: not the page's.)
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    await page.goto(`${portal.url}/login`);
    const before = checks.length;
    const code = codes[0] ?? '';
    // Typed as people type it: lower case, with a dash.
    await page.getByLabel('Voucher code').fill(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`);
    await page.getByRole('button', { name: 'Connect' }).click();
    const session = await loggedIn(host, before);
    expect(errors).toEqual([]);
    expect(session).toMatchObject({ user: code, 'mac-address': host.mac, 'login-by': 'http-chap' });
    const check = checks[before]!;
    expect(check.code).toBe('Access-Accept');
    const chap = check.attempt.chap!;
    expect(check.attempt.password).toBe(
      createHash('md5')
        .update(Buffer.concat([chap.id, Buffer.from(code), chap.challenge]))
        .digest('hex'),
    );
    // The same request with a wrong proof is refused by radiusd.
    const radius = hotspotRadiusCheck({ port: kasi.radiusAuthPort, secret: SECRET });
    expect((await radius({ ...check.attempt, password: '0'.repeat(32) })).code).toBe('Access-Reject');
    await page.getByText('Connected').first().waitFor();
    await page.context().close();
  });

  it('logs straight in from a card’s QR (/login?username=CODE) with no typing', async () => {
    const host = { mac: 'A4:5E:60:11:22:02', ip: '10.5.50.22' };
    const page = await phone(host);
    const since = checks.length;
    await page.goto(`${portal.url}/login?username=${codes[1] ?? ''}`);
    expect(await loggedIn(host, since)).toMatchObject({ user: codes[1], 'login-by': 'http-chap' });
    expect(checks.at(-1)?.code).toBe('Access-Accept');
    await page.context().close();
  });

  it('still renders with a variable missing and reports it to Kasi', async () => {
    omitMac = true;
    const page = await phone({ mac: 'A4:5E:60:11:22:03', ip: '10.5.50.23' });
    const report = page.waitForResponse((r) => r.url().includes('/problem?page=login&missing=mac'));
    await page.goto(`${portal.url}/login`);
    expect((await report).status()).toBe(204);
    await expect(page.getByLabel('Voucher code').isVisible()).resolves.toBe(true);
    await page.context().close();
    omitMac = false;
    await new Promise((r) => setTimeout(r, 200));
    expect(kasi.output()).toContain('hotspot page rendered with a router variable missing');
  });
});
