// The Routers section as an operator uses it on a tablet, against an emulated MikroTik:
// onboard it through the wizard, propose the RADIUS wiring, get it approved by a second
// person (two-person approval), apply and roll back, then kick a live session. The router
// runs RouterOS 7.18, so plans apply in safe mode, and the plan page says so in plain words;
// a plan that fails half-way is undone by the router itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startRouterOsSim, type RouterOsSim } from '@kasi/routeros-sim';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { loginAs } from '../support/login.ts';
import { createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const OP2 = { email: 'op2@acme.test', password: 'second operator pw' };
const TABLET = { viewport: { width: 820, height: 1180 }, hasTouch: true };
const RADIUS_ADDRESS = '192.0.2.10';
const MASK = '••••••••';

let kasi: KasiProcess;
let sim: RouterOsSim;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let planUrl = '';

beforeAll(async () => {
  sim = await startRouterOsSim({
    host: '127.0.0.2',
    version: '7.18',
    identity: 'tower-e2e',
    users: [{ name: 'kasi', password: 'router-pass-1', group: 'full' }],
  });
  sim.subscribers.connectHotspot({
    user: 'guest-1',
    address: '10.5.50.21',
    macAddress: 'A4:5E:60:11:22:01',
    uptimeSeconds: 1520,
  });
  sim.subscribers.connectHotspot({
    user: 'guest-2',
    address: '10.5.50.34',
    macAddress: 'A4:5E:60:11:22:02',
    uptimeSeconds: 310,
  });
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER);
  await kasi.cli('tenant:settings', '--tenant', 'acme', '--two-person-approval', 'true');
  // The emulated router is on loopback, which the default router address rule refuses.
  await kasi.cli('router:allow-cidrs', '--tenant', 'acme', '--cidrs', `${sim.host}/32`);
  await kasi.cli(
    'user:add',
    '--tenant',
    'acme',
    '--email',
    OP2.email,
    '--name',
    'Op Two',
    '--password',
    OP2.password,
    '--role',
    'operator',
  );
  browser = await launchChromium();
  context = await browser.newContext({ ...TABLET, baseURL: kasi.baseUrl });
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await kasi?.stop();
  await sim?.close();
});

async function logIn(who: { email: string; password: string }): Promise<void> {
  await loginAs(page, kasi, who.email, who.password);
  await page.waitForURL((url) => url.pathname === '/'); // the dashboard
}

const statusBadge = () => page.locator('.page-head [data-status]');
const safety = () => page.getByRole('region', { name: 'Safe mode' });

describe('routers on a tablet', () => {
  it('onboards the emulated router through the wizard in under a minute', async () => {
    await logIn(OWNER);
    const started = Date.now();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Routers' }).click();
    await page.getByRole('link', { name: 'Onboard a router' }).click();
    await page.waitForURL('**/routers/new');

    await page.getByLabel('Name').fill('Tower E2E');
    await page.getByLabel('Router IP address').fill(sim.host);
    await page.getByLabel('Use TLS (api-ssl)').uncheck();
    expect(await page.getByLabel('API port').inputValue()).toBe('8728');
    await page.getByLabel('API port').fill(String(sim.port));
    await page.getByLabel('Allow the unencrypted RouterOS API (not recommended)').check();
    await page.getByLabel('API user').fill('kasi');
    await page.getByLabel('API password').fill('router-pass-1');
    await page.getByRole('button', { name: 'Save and test connection' }).click();

    await page.getByText('Identity tower-e2e').waitFor();
    const found = await page.locator('main').textContent();
    expect(found).toContain('7.18');
    expect(found).toContain('Reachable');
    expect(
      await page
        .getByRole('table', { name: /Interfaces/ })
        .getByText('ether1')
        .isVisible(),
    ).toBe(true);

    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('RADIUS server address').fill(RADIUS_ADDRESS);
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.waitForURL(/\/routers\/[0-9a-f-]{36}\/plans\/[0-9a-f-]{36}$/);
    planUrl = page.url();
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('previews the typed diff with the RADIUS secret masked', async () => {
    const changes = page.getByRole('list', { name: 'Changes' });
    await changes.waitFor();
    // The new /radius entry comes first: it must exist before anything points at it.
    const text = await changes.getByRole('listitem').first().textContent();
    expect(text).toMatch(/^\s*Add\s*\/radius\b/);
    expect(text).toContain(RADIUS_ADDRESS);
    expect(text).toContain(MASK);
    const incoming = await changes
      .getByRole('listitem')
      .filter({ hasText: '/radius/incoming' })
      .textContent();
    expect(incoming).toContain('Change');
    expect(incoming).toMatch(/accept\s*false\s*true/);
    expect(await statusBadge().textContent()).toBe('Waiting for approval');
    const forecast = await safety().textContent();
    expect(forecast).toContain('In RouterOS safe mode');
    expect(forecast).toContain('the router itself undoes the whole plan');
  });

  it('shows Approve disabled to the requester, with the two-person reason', async () => {
    const approve = page.getByRole('button', { name: 'Approve' });
    expect(await approve.isDisabled()).toBe(true);
    await page
      .getByText(
        'Two-person approval is on: someone other than the person who proposed this plan must approve it.',
      )
      .waitFor();
    expect(await statusBadge().textContent()).toBe('Waiting for approval');
  });

  it('lets a second operator approve and apply; the router then sends RADIUS to Kasi', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await logIn(OP2);
    await page.goto(planUrl);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
    expect(await statusBadge().textContent()).toBe('Approved');

    await page.getByRole('button', { name: 'Apply to router' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply this plan?' });
    await dialog.getByRole('button', { name: 'Apply now' }).click();
    await page.getByRole('status').filter({ hasText: 'Applied and verified on the router.' }).waitFor();
    expect(await statusBadge().textContent()).toBe('Applied');
    const applied = await safety().textContent();
    expect(applied).toContain('Applied in RouterOS safe mode');
    expect(applied).toContain('Verified: the router shows the planned settings.');
    expect(sim.state.safeMode.held).toBe(false);

    const radius = sim.state.rows('/radius');
    expect(radius.map((r) => r['address'])).toEqual([RADIUS_ADDRESS]);
    expect(radius[0]?.['secret']?.length).toBeGreaterThanOrEqual(16);
    expect(sim.state.singleton('/radius/incoming')['accept']).toBe('true');
  });

  it('rolls the change back after confirming', async () => {
    await page.getByRole('button', { name: 'Roll back' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back this plan?' });
    await dialog.getByRole('button', { name: 'Roll back now' }).click();
    await page.getByRole('status').filter({ hasText: 'back to how it was' }).waitFor();
    expect(await statusBadge().textContent()).toBe('Rolled back');
    expect(await safety().textContent()).toContain('Applied in RouterOS safe mode, then rolled back');
    expect(sim.state.rows('/radius')).toEqual([]);
    expect(sim.state.singleton('/radius/incoming')['accept']).toBe('false');
  });

  it('lists the router with its health, shows live sessions and kicks one over the API', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Routers' }).click();
    const card = page.getByRole('article', { name: 'Tower E2E' });
    await card.waitFor();
    const summary = await card.textContent();
    expect(summary).toContain(`${sim.host}:${sim.port}`);
    expect(summary).toContain('Unencrypted API');
    expect(summary).toContain('tower-e2e');
    await card.getByRole('button', { name: 'Test connection' }).click();
    await card.getByRole('status').filter({ hasText: 'Connected to tower-e2e.' }).waitFor();

    await card.getByRole('link', { name: 'Tower E2E' }).click();
    const sessions = page.getByRole('list', { name: 'Live sessions' });
    await sessions.getByText('guest-1').waitFor();
    expect(await sessions.getByRole('listitem').count()).toBe(2);
    expect(await page.getByRole('list', { name: 'Change plans' }).textContent()).toContain('Rolled back');

    await page.getByRole('button', { name: 'Kick guest-1' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'guest-1 was disconnected over the RouterOS API.' })
      .waitFor();
    await sessions.getByText('guest-1').waitFor({ state: 'detached' });
    expect(sim.state.rows('/ip/hotspot/active').map((r) => r['user'])).toEqual(['guest-2']);
  });

  it('has the router undo a plan that fails half-way, and says it checked the router afterwards', async () => {
    // The second operator proposes this time; the owner approves and applies.
    await page.getByLabel('RADIUS server address').fill(RADIUS_ADDRESS);
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.waitForURL((url) => /\/plans\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== planUrl);
    const failingPlanUrl = page.url();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await logIn(OWNER);
    await page.goto(failingPlanUrl);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
    expect(await safety().textContent()).toContain('In RouterOS safe mode');

    // The router refuses the plan's second write, after its first one went through.
    sim.faults.set({ failNthWrite: { nth: 2, message: 'failure: simulated flash error' } });
    await page.getByRole('button', { name: 'Apply to router' }).click();
    await page
      .getByRole('dialog', { name: 'Apply this plan?' })
      .getByRole('button', { name: 'Apply now' })
      .click();
    await page.getByRole('alert').filter({ hasText: 'failure: simulated flash error' }).waitFor();
    expect(await statusBadge().textContent()).toBe('Rolled back');
    const undone = await safety().textContent();
    expect(undone).toContain('Undone by the router’s safe mode');
    expect(undone).toContain('Verified: Kasi re-read the router and it matches how it was before the plan.');
    expect(sim.state.rows('/radius')).toEqual([]);
    expect(sim.state.singleton('/radius/incoming')['accept']).toBe('false');
    expect(sim.state.safeMode.held).toBe(false);
  });
});
