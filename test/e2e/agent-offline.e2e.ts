// The agent app as a field agent uses it: the production PWA on a 360 px phone. Log in
// once, enrol the phone, choose a PIN, take stock; then with no signal at all reload,
// unlock with the PIN and sell; back online the outbox drains exactly once, even when
// an answer is lost or the push is replayed; a code sold twice comes back refused.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs } from '../support/api-client.ts';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { createAgent, createHourPlan, createTenant } from '../support/seed.ts';
import { enrolPhone, openPhone, plantStock, sellOne, unlockPhone } from '../support/agent-phone.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const AGENT = { email: 'amina@acme.test', password: 'agent password 1' };
const BUILD = fileURLToPath(new URL('../../web/build', import.meta.url));
/**
 * Initial JS budget of the agent app's daily cold start (PIN screen), gzip. 90 KB before the
 * app spoke Swahili and French; each Paraglide message carries its three languages (about
 * 2 KB in all, ADR 0027), so the guard is 95 KB. Lighthouse (`pnpm bench:web`) is the target.
 */
const JS_BUDGET_GZIP = 95 * 1024;

let kasi: KasiProcess;
let browser: Browser;
let owner: Awaited<ReturnType<typeof apiAs>>;
let sql: postgres.Sql;
let planId = '';

beforeAll(async () => {
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER);
  const plan = await createHourPlan(kasi);
  planId = plan.id;
  await kasi.cli('vouchers:generate', '--tenant', 'acme', '--plan', planId, '--count', '20');
  await createAgent(kasi, AGENT, { limit: '1000.00' });
  owner = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  sql = postgres(kasi.env.DATABASE_URL ?? '', { max: 1 });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await sql?.end();
  await kasi?.stop();
});

const phone = () => openPhone(browser, kasi.baseUrl);
const enrol = (page: Page, label: string, codes: number) =>
  enrolPhone(page, { agent: AGENT, operator: owner, label, codes, planId });
const unlock = unlockPhone;

async function openTab(page: Page, name: 'Sell' | 'Stock' | 'Today' | 'Sync'): Promise<void> {
  await page.getByRole('navigation', { name: 'Agent' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

const salesOf = (deviceId: string) =>
  sql<
    { code: string; seq: number }[]
  >`select code, seq from voucher_sales where device_id = ${deviceId} order by seq`;

describe('the agent app on a phone with no signal', () => {
  let context: BrowserContext;
  let page: Page;
  let deviceId = '';
  const sold: string[] = [];
  const pushes: { url: string; body: string }[] = [];

  beforeAll(async () => {
    ({ context, page } = await phone());
  });
  afterAll(async () => {
    await context?.close();
  });

  it('enrols with an online login and a PIN, then takes stock once approved', async () => {
    deviceId = await enrol(page, 'Amina phone 1', 5);
    const product = page.getByRole('list', { name: 'Vouchers to sell' }).getByRole('button');
    await product.filter({ hasText: '5 left' }).waitFor();
    expect(await product.textContent()).toContain('20.00 KES');
    // The service worker must control the page before the signal goes.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  });

  it('opens from the service worker in airplane mode and sells three vouchers behind the PIN', async () => {
    await context.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await unlock(page);
    for (let i = 0; i < 3; i++) sold.push(await sellOne(page));
    expect(new Set(sold).size).toBe(3);
    await page.getByRole('list', { name: 'Vouchers to sell' }).getByText('2 left').waitFor();
  });

  it('keeps the sales across a reload and counts them locally', async () => {
    await page.reload();
    await page.getByLabel('Enter your PIN').fill('1357');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong PIN' }).waitFor();
    await unlock(page);
    await openTab(page, 'Today');
    expect(await page.getByTestId('sales-count').textContent()).toBe('3');
    expect(await page.getByTestId('cash-taken').textContent()).toContain('60.00 KES');
    await openTab(page, 'Sync');
    // The count shows '…' until the outbox has been read from IndexedDB.
    const pendingCount = page.locator('[data-testid="pending-count"][data-ready="true"]');
    await pendingCount.waitFor();
    expect(await pendingCount.textContent()).toContain('3 sales waiting');
    expect(await salesOf(deviceId)).toEqual([]);
  });

  it('drains the outbox when the signal returns, once, though the first answer is lost', async () => {
    await context.route('**/trpc/sync.push**', async (route) => {
      pushes.push({ url: route.request().url(), body: route.request().postData() ?? '' });
      if (pushes.length > 1) return route.continue();
      // Kasi applies the sales, but the answer never reaches the phone.
      await route.fetch();
      await route.abort('connectionreset');
    });
    await context.setOffline(false);
    await page
      .getByTestId('pending-count')
      .filter({ hasText: 'All sales sent to Kasi.' })
      .waitFor({ timeout: 45_000 });
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    const rows = await salesOf(deviceId);
    expect(rows.map((r) => r.code)).toEqual(sold);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('changes nothing when the same push is replayed', async () => {
    const first = pushes[0];
    if (!first) throw new Error('no push was seen');
    const response = await page.request.post(first.url, {
      data: first.body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.ok()).toBe(true);
    const text = await response.text();
    expect(text.match(/"duplicate"/g)).toHaveLength(3);
    expect(text).not.toContain('"applied"');
    expect(await salesOf(deviceId)).toHaveLength(3);
  });

  it('asks Kasi for more stock online, and says why when over the limit or offline', async () => {
    await openTab(page, 'Stock');
    const left = page.getByTestId('stock-left');
    await left.filter({ hasText: '2 left' }).waitFor();
    await page.getByLabel('Number of codes').fill('3');
    await page.getByRole('button', { name: 'Request codes' }).click();
    await page.getByRole('status').filter({ hasText: 'Kasi gave this phone 3 codes of Hour.' }).waitFor();
    await left.filter({ hasText: '5 left' }).waitFor({ timeout: 20_000 });
    // Limit 1,000.00; owed 60.00 and 5 codes held at 20.00: 42 more codes fit.
    await page.getByLabel('Number of codes').fill('100');
    await page.getByRole('button', { name: 'Request codes' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'over your limit' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('You can take 42 more codes of Hour');
    await context.setOffline(true);
    await page.getByRole('status').filter({ hasText: 'Stock can only be asked for online' }).waitFor();
    expect(await page.getByRole('button', { name: 'Request codes' }).isDisabled()).toBe(true);
  });

  it('prints a 58 mm receipt of a sale with no signal', async () => {
    await openTab(page, 'Sell');
    await page.getByRole('list', { name: 'Vouchers to sell' }).getByRole('button').first().click();
    await page.getByRole('button', { name: 'Cash received — sell' }).click();
    const code = (await page.getByLabel('Voucher code').textContent())?.trim() ?? '';
    // Headless Chromium has no print dialog: count the calls instead.
    await page.evaluate(() => {
      Object.assign(window, {
        printed: 0,
        print: () => (window as unknown as { printed: number }).printed++,
      });
    });
    const receipt = page.getByTestId('receipt');
    expect(await receipt.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Print' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await receipt.isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Sold — give this code' }).isVisible()).toBe(false);
    const text = (await receipt.textContent()) ?? '';
    expect(text).toContain(code);
    expect(text).toContain('Acme WISP');
    expect(text).toContain('20.00');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'Next sale' }).click();
    await context.setOffline(false);
  });

  it('installs as its own app that opens at /agent', async () => {
    const cdp = await context.newCDPSession(page);
    const { url } = (await cdp.send('Page.getAppManifest')) as { url: string };
    expect(new URL(url).pathname).toBe('/agent/manifest.webmanifest');
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    // Playwright's contexts are incognito, where Chrome never offers to install; nothing else may be missing.
    expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
  });

  it(`opens cold in a new tab with no signal, on at most ${JS_BUDGET_GZIP / 1024} KB of JavaScript (gzip)`, async () => {
    await context.setOffline(true);
    const scripts = new Set<string>();
    const fresh = await context.newPage();
    fresh.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('.js') && path !== '/sw.js') scripts.add(path);
    });
    await fresh.goto('/agent');
    await fresh.getByLabel('Enter your PIN').waitFor();
    let gzip = 0;
    for (const path of scripts) gzip += gzipSync(await readFile(`${BUILD}${path}`)).length;
    console.log(`agent cold start: ${scripts.size} scripts, ${(gzip / 1024).toFixed(1)} KB gzip`);
    expect(gzip).toBeLessThanOrEqual(JS_BUDGET_GZIP);
    await unlock(fresh);
    await fresh.close();
    await context.setOffline(false);
  });
});

describe('a code sold twice', () => {
  it('comes back refused, and the agent is told why', async () => {
    const [soldCode] = await sql<{ code: string }[]>`select code from voucher_sales limit 1`;
    expect(soldCode).toBeDefined();
    const { context, page } = await phone();
    await enrol(page, 'Amina phone 2', 0);
    // A stale copy of a code another phone already sold, as if handed over by mistake.
    await plantStock(page, soldCode?.code ?? '');
    await page.reload();
    await unlock(page);
    expect(await sellOne(page)).toBe(soldCode?.code);
    const notice = page.getByRole('alert').filter({ hasText: 'Kasi refused 1 sale' });
    await notice.waitFor({ timeout: 30_000 });
    await notice.getByRole('link', { name: 'See why' }).click();
    const refused = page.getByRole('list', { name: 'Refused sales' }).getByRole('listitem');
    expect(await refused.textContent()).toContain('This code was not given to this phone');
    const [count] = await sql<
      { n: number }[]
    >`select count(*)::int as n from voucher_sales where code = ${soldCode?.code ?? ''}`;
    expect(count?.n).toBe(1);
    await context.close();
  });
});
