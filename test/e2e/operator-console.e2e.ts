// The operator console as a person uses it: the production PWA served by the real server,
// driven through Debian's Chromium at a 360 px phone size. Log in, create a plan, generate
// a batch of vouchers, add a router; and the app installs (manifest + service worker).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { isWellFormedVoucherCode } from '@kasi/domain';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

let kasi: KasiProcess;
let browser: Browser;

beforeAll(async () => {
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

async function phonePage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...PHONE, baseURL: kasi.baseUrl });
  return { context, page: await context.newPage() };
}

async function logIn(page: Page, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

describe('operator console on a phone', () => {
  it('refuses a wrong password with a readable message and stays on the login page', async () => {
    const { context, page } = await phonePage();
    await logIn(page, 'not the password');
    const alert = page.getByRole('alert').filter({ hasText: 'Wrong email or password' });
    await alert.waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('sends a visitor without a session to the login page', async () => {
    const { context, page } = await phonePage();
    await page.goto('/vouchers');
    await page.waitForURL('**/login');
    await page.getByLabel('Email').waitFor();
    await context.close();
  });

  describe('signed in as the owner', () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      ({ context, page } = await phonePage());
      await logIn(page, OWNER.password);
      await page.waitForURL((url) => url.pathname === '/'); // the dashboard
    });

    afterAll(async () => {
      await context?.close();
    });

    it('shows the tenant name and the section tabs, the rest under More', async () => {
      await page.getByText('Acme WISP').waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const tab of ['Dashboard', 'Vouchers', 'Subscribers', 'Billing']) {
        expect(await nav.getByRole('link', { name: tab }).isVisible()).toBe(true);
      }
      await nav.getByRole('button', { name: 'More' }).click();
      for (const tab of ['Plans', 'Routers', 'Agents']) {
        expect(await nav.getByRole('link', { name: tab }).isVisible()).toBe(true);
      }
      await nav.getByRole('link', { name: 'Plans' }).click();
      await page.waitForURL('**/plans');
    });

    it('creates a plan through the form and lists it with speed and price', async () => {
      await page.getByLabel('Name').fill('Week 5 GB');
      await page.getByLabel('Download speed').fill('10');
      await page.getByLabel('Upload speed').fill('2M');
      await page.getByLabel('Validity').fill('7');
      await page.getByLabel('Hours or days').selectOption('days');
      await page.getByLabel('Data quota').fill('5');
      await page.getByLabel('Price (KES)').fill('250.50');
      await page.getByRole('button', { name: 'Create plan' }).click();
      await page.getByRole('status').filter({ hasText: 'Plan “Week 5 GB” created.' }).waitFor();

      const card = page
        .getByRole('list', { name: 'Plans' })
        .getByRole('listitem')
        .filter({ hasText: 'Week 5 GB' });
      const text = await card.textContent();
      expect(text).toContain('10 Mbps ↓ / 2 Mbps ↑');
      expect(text).toContain('250.50 KES');
      expect(text).toContain('7 days');
      expect(text).toContain('5 GiB');
    });

    it('points at the wrong field when a plan form is incomplete', async () => {
      await page.getByLabel('Name').fill('');
      await page.getByRole('button', { name: 'Create plan' }).click();
      await page.getByRole('alert').filter({ hasText: 'Please correct the highlighted fields.' }).waitFor();
      expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    });

    it('generates a batch of 10 vouchers and shows 10 well-formed codes', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Vouchers' }).click();
      await page.waitForURL('**/vouchers');
      await page.getByLabel('Plan').selectOption({ label: 'Week 5 GB · 250.50 KES' });
      await page.getByLabel('Quantity').fill('10');
      await page.getByRole('button', { name: 'Generate vouchers' }).click();
      await page.waitForURL(/\/vouchers\/[0-9a-f-]{36}$/);

      const list = page.getByRole('list', { name: 'Voucher codes' });
      await list.waitFor();
      const codes = await list.locator('code').allTextContents();
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(isWellFormedVoucherCode(code), code).toBe(true);
      expect(await page.getByRole('button', { name: 'Print A4' }).isVisible()).toBe(true);
    });

    it('locks a code after a warning that RADIUS will refuse it, and shows it locked', async () => {
      const item = page.getByRole('list', { name: 'Voucher codes' }).getByRole('listitem').first();
      expect(await item.textContent()).toContain('In stock');
      await item.getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Lock', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Lock 1 code?' });
      expect(await dialog.textContent()).toContain('RADIUS will refuse locked codes');
      await dialog.getByRole('button', { name: 'Lock', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Locked 1 code.' }).waitFor();
      await item.filter({ hasText: 'Locked' }).waitFor();
    });

    it('adds a router and shows its generated shared secret once', async () => {
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('button', { name: 'More' }).click();
      await nav.getByRole('link', { name: 'Routers' }).click();
      await page.waitForURL('**/routers');
      await page.getByLabel('Name').fill('Main tower');
      await page.getByLabel('IP address').fill('10.20.30.40');
      await page.getByRole('button', { name: 'Add router' }).click();

      const notice = page.getByRole('region', { name: 'Shared secret for Main tower' });
      await notice.waitFor();
      expect(await notice.textContent()).toContain('It will not be shown again.');
      expect((await notice.locator('code').textContent())?.length).toBeGreaterThanOrEqual(16);
      await page.getByRole('list', { name: 'Routers' }).getByText('10.20.30.40').waitFor();

      await page.getByRole('button', { name: 'I have saved it' }).click();
      await notice.waitFor({ state: 'detached' });
    });
  });

  it('installs as a PWA: manifest linked, service worker active at /sw.js, API never precached', async () => {
    const { context, page } = await phonePage();
    await page.goto('/login');
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest');
    const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
      name: string;
      display: string;
      icons: { sizes: string }[];
    };
    expect(manifest.name).toBe('Kasi');
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));

    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const cached: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys())
          cached.push(new URL(request.url).pathname);
      }
      return { script: registration.active?.scriptURL ?? '', cached };
    });
    expect(new URL(worker.script).pathname).toBe('/sw.js');
    expect(worker.cached).toContain('/index.html');
    expect(worker.cached).toContain('/manifest.webmanifest');
    expect(worker.cached.filter((path) => path.startsWith('/trpc'))).toEqual([]);
    await context.close();
  });
});
