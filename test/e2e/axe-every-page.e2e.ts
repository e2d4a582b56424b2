// axe-core on every page of the console and the agent app, on a 360×740 phone and a 1024×768
// screen: no serious or critical finding, in the light theme and — for colour contrast — in the
// dark one (the system's setting, prefers-color-scheme). The pages come from the route files
// under web/src/routes, so a page this test does not know how to visit fails it; dynamic
// segments are filled with real ids made by the seed below. One server and one browser, logged
// in once per role; then one test per page and screen, each with its own time limit (a single
// test walking all the pages outran any sensible limit under CI load).
//
// The dark theme is checked for what it promises too: the system's choice is followed on the
// console, the agent app and the login page, and printing stays dark ink on white paper.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startRouterOsSim, type RouterOsSim } from '@kasi/routeros-sim';
import { AGENT_PIN, enrolPhone, openPhone } from '../support/agent-phone.ts';
import { apiAs } from '../support/api-client.ts';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { loginAs } from '../support/login.ts';
import { createAgent, createHourPlan, createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const AGENT = { email: 'amina@acme.test', password: 'agent password 1', name: 'Amina Field' };
const SCREENS = [
  { name: '360×740', width: 360, height: 740 },
  { name: '1024×768', width: 1024, height: 768 },
];
/** One page at one screen: a visit, axe in light, axe's colour-contrast rule in dark. */
const PER_PAGE_MS = 45_000;
const STEP_MS = 15_000;
const ROUTES_DIR = fileURLToPath(new URL('../../web/src/routes', import.meta.url));
/** Pages for people not signed in: visited from a context with no session. */
const SIGNED_OUT = ['/login', '/reset/[token]', '/my'];

/** Every page route as its URL pattern: `/routers/[id]/plans/[planId]`, groups dropped. */
function pageRoutes(dir = ROUTES_DIR): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...pageRoutes(path));
    else if (entry.name === '+page.svelte') {
      const parts = relative(ROUTES_DIR, dir)
        .split(sep)
        .filter((p) => p && !/^\(.*\)$/.test(p));
      found.push(`/${parts.join('/')}`);
    }
  }
  return found.sort();
}
const ROUTES = pageRoutes();

let kasi: KasiProcess;
let sim: RouterOsSim;
let browser: Browser;
let owner: Page;
let phone: Page;
let visitor: Page;
/** URL for each dynamic route pattern, from the seed. */
const params: Record<string, string> = {};

beforeAll(async () => {
  sim = await startRouterOsSim({
    host: '127.0.0.2',
    version: '7.18',
    identity: 'tower-axe',
    users: [{ name: 'kasi', password: 'router-pass-1', group: 'full' }],
  });
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER);
  await kasi.cli('router:allow-cidrs', '--tenant', 'acme', '--cidrs', `${sim.host}/32`);
  const plan = await createHourPlan(kasi);
  const generated = await kasi.cli<{ batch: { id: string }; codes: string[] }>(
    'vouchers:generate',
    '--tenant',
    'acme',
    '--plan',
    plan.id,
    '--count',
    '10',
  );
  const { subscriber } = await kasi.cli<{ subscriber: { id: string } }>(
    'subscriber:add',
    '--tenant',
    'acme',
    '--username',
    'jane',
    '--password',
    'jane-secret-1',
    '--plan',
    plan.id,
  );
  await createAgent(kasi, AGENT, { limit: '1000.00' });
  const api = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  const router = await api.router.create.mutate({
    name: 'Tower',
    host: sim.host,
    port: sim.port,
    tls: false,
    allowPlain: true,
    username: 'kasi',
    password: 'router-pass-1',
  });
  const change = await api.router.proposeWiring.mutate({ routerId: router.id, radiusAddress: '192.0.2.53' });
  const draft = await api.invoice.createDraft.mutate({
    subscriberId: subscriber.id,
    lines: [{ kind: 'other', description: 'Installation', unitPriceMinor: 250000n }],
  });
  const paid = await api.payment.record.mutate({
    subscriberId: subscriber.id,
    amountMinor: 100000n,
    currency: 'KES',
    method: 'cash',
  });
  const agent = (await api.agent.list.query()).find((a) => a.name === AGENT.name);
  const reset = await kasi.cli<{ path: string }>(
    'user:reset-password',
    '--tenant',
    'acme',
    '--email',
    OWNER.email,
  );
  Object.assign(params, {
    '/agents/[id]': `/agents/${agent?.agent.id ?? 'missing'}`,
    '/billing/invoices/[id]': `/billing/invoices/${draft.id}`,
    '/billing/payments/[id]': `/billing/payments/${paid.payment.id}`,
    '/reset/[token]': reset.path,
    '/routers/[id]': `/routers/${router.id}`,
    '/routers/[id]/plans/[planId]': `/routers/${router.id}/plans/${change.plan?.id ?? 'missing'}`,
    '/subscribers/[id]': `/subscribers/${subscriber.id}`,
    '/subscribers/[id]/edit': `/subscribers/${subscriber.id}/edit`,
    '/vouchers/[batchId]': `/vouchers/${generated.batch.id}`,
    '/vouchers/code/[code]': `/vouchers/code/${generated.codes[0]}`,
  });

  browser = await launchChromium();
  const light = { baseURL: kasi.baseUrl, colorScheme: 'light' as const };
  owner = await (await browser.newContext(light)).newPage();
  await loginAs(owner, kasi, OWNER.email, OWNER.password);
  visitor = await (await browser.newContext(light)).newPage();
  phone = (await openPhone(browser, kasi.baseUrl)).page;
  await phone.emulateMedia({ colorScheme: 'light' });
  await enrolPhone(phone, { agent: AGENT, operator: api, label: 'Amina phone', codes: 3, planId: plan.id });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
  await sim?.close();
});

/** The URL that visits a route pattern, or undefined when the test does not know one. */
const urlFor = (route: string): string | undefined => (route.includes('[') ? params[route] : route);

/** The agent app (/agent…, not the console's /agents…), as the enrolled agent. */
const isAgentApp = (route: string) => route === '/agent' || route.startsWith('/agent/');

/** The agent app as the enrolled agent, the console as the owner, the rest signed out. */
const pageFor = (route: string): Page =>
  isAgentApp(route) ? phone : SIGNED_OUT.includes(route) ? visitor : owner;

/** Opens the route's page and waits until it shows; unlocks the agent app with the PIN. */
async function visit(route: string): Promise<Page> {
  const url = urlFor(route);
  if (!url) throw new Error(`no URL known for ${route}`);
  const page = pageFor(route);
  await page.goto(url);
  // Each step has a limit well inside the test's, so a stuck page says where it stuck.
  await page.locator('h1').first().waitFor({ timeout: STEP_MS });
  if (isAgentApp(route) && route !== '/agent/setup') {
    const pin = page.getByLabel('Enter your PIN');
    if (await pin.count()) {
      await pin.fill(AGENT_PIN);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await pin.waitFor({ state: 'detached' });
      await page.locator('h1').first().waitFor();
    }
  }
  // Still on the page asked for (no redirect to the login, no error page), loaded.
  expect(new URL(page.url()).pathname).toBe(new URL(url, kasi.baseUrl).pathname);
  await page.getByRole('progressbar', { name: 'Loading' }).waitFor({ state: 'detached', timeout: STEP_MS });
  const heading = (await page.locator('h1').first().textContent())?.trim();
  expect(['Page not found', 'Something went wrong', 'No connection']).not.toContain(heading);
  return page;
}

/** Serious and critical axe findings on the page as it stands, by rule id and target. */
async function axeProblems(page: Page, rules?: string[]): Promise<string[]> {
  // Only violations are collected: axe then skips building its passes and incomplete lists.
  // A sandboxed preview frame (the hotspot page on a router's page) runs no script, so axe
  // would wait for it until the test's limit: its document is scanned on its own below.
  let axe = new AxeBuilder({ page: page as never })
    .options({ resultTypes: ['violations'] })
    .exclude('iframe[sandbox]');
  if (rules) axe = axe.withRules(rules);
  const { violations } = await axe.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('axe on every page', () => {
  it('knows how to visit every page route', () => {
    expect(ROUTES.length).toBeGreaterThan(30);
    expect(ROUTES.filter((r) => !urlFor(r))).toEqual([]);
  });

  for (const screen of SCREENS) {
    describe(`at ${screen.name}`, () => {
      beforeAll(async () => {
        for (const page of [owner, phone, visitor]) await page.setViewportSize(screen);
      });

      for (const route of ROUTES) {
        it(
          `${route}: nothing serious or critical, light and dark`,
          async () => {
            const page = await visit(route);
            expect(await axeProblems(page)).toEqual([]);
            for (const srcdoc of await page
              .locator('iframe[sandbox]')
              .evaluateAll((fs) => fs.map((f) => f.getAttribute('srcdoc') ?? ''))) {
              const framed = await visitor.context().newPage();
              try {
                await framed.setContent(srcdoc);
                expect(await axeProblems(framed)).toEqual([]);
              } finally {
                await framed.close();
              }
            }
            await page.emulateMedia({ colorScheme: 'dark' });
            try {
              expect(await axeProblems(page, ['color-contrast'])).toEqual([]);
            } finally {
              await page.emulateMedia({ colorScheme: 'light' });
            }
          },
          PER_PAGE_MS,
        );
      }
    });
  }
});

/** The page's own colours: the root's background and the body text's colour, as computed. */
const colours = (page: Page) =>
  page.evaluate(() => ({
    background: getComputedStyle(document.documentElement).backgroundColor,
    text: getComputedStyle(document.body).color,
    scheme: document.querySelector('meta[name="color-scheme"]')?.getAttribute('content'),
  }));

const LIGHT = { background: 'rgb(255, 255, 255)', text: 'rgb(17, 24, 20)', scheme: 'light dark' };
const DARK = { background: 'rgb(15, 20, 18)', text: 'rgb(232, 238, 235)', scheme: 'light dark' };

describe('dark mode', () => {
  it('follows the system on the login page, the console and the agent app', async () => {
    for (const [page, route] of [
      [visitor, '/login'],
      [owner, '/'],
      [phone, '/agent'],
    ] as const) {
      await visit(route);
      expect(await colours(page), `${route} light`).toEqual(LIGHT);
      await page.emulateMedia({ colorScheme: 'dark' });
      try {
        expect(await colours(page), `${route} dark`).toEqual(DARK);
      } finally {
        await page.emulateMedia({ colorScheme: 'light' });
      }
    }
    // The console's top bar turns deep green rather than staying a bright slab of brand colour.
    await owner.emulateMedia({ colorScheme: 'dark' });
    try {
      const bar = await owner
        .locator('header')
        .first()
        .evaluate((e) => getComputedStyle(e).backgroundColor);
      expect(bar).toBe('rgb(20, 57, 44)');
    } finally {
      await owner.emulateMedia({ colorScheme: 'light' });
    }
  }, 60_000);

  it('prints dark ink on white even when the screen is dark', async () => {
    await visit('/vouchers/[batchId]');
    await owner.emulateMedia({ colorScheme: 'dark', media: 'print' });
    try {
      expect(await colours(owner)).toEqual(LIGHT);
    } finally {
      await owner.emulateMedia({ colorScheme: 'light', media: 'screen' });
    }
  }, 60_000);
});
