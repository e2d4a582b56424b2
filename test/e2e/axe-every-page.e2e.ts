// axe-core on every page of the console and the agent app, on a 1024×768 screen and a
// 360×740 phone: no serious or critical finding anywhere. The pages come from the route
// files under web/src/routes, so a new page that this test does not know how to visit fails
// it. Dynamic segments are filled with real ids made by the seed below. One browser, one
// page per role, reused across every visit.
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
  { name: '1024×768', width: 1024, height: 768 },
  { name: '360×740', width: 360, height: 740 },
];
const ROUTES = fileURLToPath(new URL('../../web/src/routes', import.meta.url));

/** Every page route as its URL pattern: `/routers/[id]/plans/[planId]`, groups dropped. */
function pageRoutes(dir = ROUTES): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...pageRoutes(path));
    else if (entry.name === '+page.svelte') {
      const parts = relative(ROUTES, dir)
        .split(sep)
        .filter((p) => p && !/^\(.*\)$/.test(p));
      found.push(`/${parts.join('/')}`);
    }
  }
  return found.sort();
}

let kasi: KasiProcess;
let sim: RouterOsSim;
let browser: Browser;
let owner: Page;
let phone: Page;
let visitor: Page;
const params: Record<string, string> = {};
let resetPath = '';

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
  const agent = (await api.agent.list.query()).find((a) => a.name === AGENT.name);
  const reset = await kasi.cli<{ path: string }>(
    'user:reset-password',
    '--tenant',
    'acme',
    '--email',
    OWNER.email,
  );
  resetPath = reset.path;
  Object.assign(params, {
    '/agents/[id]': `/agents/${agent?.agent.id ?? 'missing'}`,
    '/billing/invoices/[id]': `/billing/invoices/${draft.id}`,
    '/routers/[id]': `/routers/${router.id}`,
    '/routers/[id]/plans/[planId]': `/routers/${router.id}/plans/${change.plan?.id ?? 'missing'}`,
    '/subscribers/[id]': `/subscribers/${subscriber.id}`,
    '/subscribers/[id]/edit': `/subscribers/${subscriber.id}/edit`,
    '/vouchers/[batchId]': `/vouchers/${generated.batch.id}`,
    '/vouchers/code/[code]': `/vouchers/code/${generated.codes[0]}`,
  });

  browser = await launchChromium();
  const ownerContext = await browser.newContext({ baseURL: kasi.baseUrl });
  owner = await ownerContext.newPage();
  await loginAs(owner, kasi, OWNER.email, OWNER.password);
  visitor = await (await browser.newContext({ baseURL: kasi.baseUrl })).newPage();
  phone = (await openPhone(browser, kasi.baseUrl)).page;
  await enrolPhone(phone, { agent: AGENT, operator: api, label: 'Amina phone', codes: 3, planId: plan.id });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
  await sim?.close();
});

/** Serious and critical axe findings on the page as it stands, by rule id and target. */
async function axeProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page: page as never }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The URL that visits a route pattern, or undefined when the test does not know one. */
function urlFor(route: string): string | undefined {
  if (!route.includes('[')) return route;
  if (route === '/reset/[token]') return resetPath;
  return params[route];
}

describe('axe on every page', () => {
  it('knows how to visit every page route', () => {
    const routes = pageRoutes();
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !urlFor(r))).toEqual([]);
  });

  it('finds no serious or critical violation on any page, on both screens', async () => {
    const found: string[] = [];
    const visited: string[] = [];
    for (const route of pageRoutes()) {
      const url = urlFor(route) ?? route;
      // The agent app as the enrolled agent, the console as the owner, and the pages for people
      // not signed in (login, password reset, the subscriber's own page) as a visitor.
      const page = route.startsWith('/agent')
        ? phone
        : ['/login', '/reset/[token]', '/my'].includes(route)
          ? visitor
          : owner;
      for (const screen of SCREENS) {
        await page.setViewportSize({ width: screen.width, height: screen.height });
        await page.goto(url);
        await page.locator('h1').first().waitFor();
        if (route.startsWith('/agent') && (await page.getByLabel('Enter your PIN').count())) {
          await page.getByLabel('Enter your PIN').fill(AGENT_PIN);
          await page.getByRole('button', { name: 'Unlock' }).click();
          await page.getByLabel('Enter your PIN').waitFor({ state: 'detached' });
          await page.locator('h1').first().waitFor();
        }
        visited.push(`${screen.name} ${url} → ${new URL(page.url()).pathname}`);
        for (const p of await axeProblems(page)) found.push(`${route} at ${screen.name}: ${p}`);
      }
    }
    expect(visited.length).toBe(pageRoutes().length * SCREENS.length);
    expect(found).toEqual([]);
  }, 420_000);
});
