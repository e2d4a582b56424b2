// The console's language is the person's own (ADR 0030): picked on Account, it changes the
// console at once, survives a reload, and — kept on the user, not the browser — follows them
// to a fresh browser after logging in. Going back to the organisation's language does too.
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { openConsole, type Screen } from '../support/console-page.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { loginAs } from '../support/login.ts';
import { createHourPlan, createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const LAPTOP = { viewport: { width: 1024, height: 768 }, isMobile: false, hasTouch: false } as Screen;

let kasi: KasiProcess;
let browser: Browser;

beforeAll(async () => {
  kasi = await startKasi();
  await createTenant(kasi, OWNER);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

const nav = (page: Page, name: string) => page.getByRole('navigation', { name });

/** A browser that has never seen Kasi (no choice stored), logged in as the owner. */
async function freshLogin(): Promise<Page> {
  const page = await (await browser.newContext({ ...LAPTOP, locale: 'en-US' })).newPage();
  await loginAs(page, kasi, OWNER.email, OWNER.password);
  return page;
}

describe('the console in the language a person picks on Account', () => {
  let page: Page;

  beforeAll(async () => {
    page = await openConsole({ browser, kasi, owner: OWNER, screen: LAPTOP });
  });
  afterAll(() => page.context().close());

  it('switches to Kiswahili at once and keeps it across a reload', async () => {
    await nav(page, 'Main').getByRole('link', { name: 'Dashboard' }).waitFor();
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    // The page's own data, read again after the change, comes slowly (a phone on a poor link):
    // the list shows the new choice all the while the console is rendered anew in it.
    const slowSession = (url: URL) => url.pathname.includes('account.security');
    await page.route(slowSession, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      // The page may have reloaded meanwhile and dropped the request: then there is nothing to
      // continue (Playwright throws "Route is already handled", an unhandled error of the run).
      await route.continue().catch(() => undefined);
    });
    await page.getByLabel('Language of the console').selectOption('sw');

    await nav(page, 'Menyu kuu').getByRole('link', { name: 'Muhtasari' }).waitFor();
    await page.getByRole('heading', { name: 'Akaunti na usalama', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('sw');
    expect(await page.getByLabel('Lugha ya Kasi').inputValue()).toBe('sw');
    // Waits for a delayed answer still held by the handler: a reload would cancel its request
    // and the handler's late continue() would fail (an unhandled rejection that fails the run).
    await page.unrouteAll({ behavior: 'wait' });

    await page.reload();
    await page.getByRole('heading', { name: 'Akaunti na usalama', level: 1 }).waitFor();
    expect(await nav(page, 'Menyu kuu').getByRole('link', { name: 'Mipangilio' }).isVisible()).toBe(true);
    const { violations } = await new AxeBuilder({ page: page as never }).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('is kept on the account: a fresh browser speaks Kiswahili after logging in', async () => {
    const other = await freshLogin();
    try {
      await nav(other, 'Menyu kuu').getByRole('link', { name: 'Muhtasari' }).waitFor();
      await other.getByRole('heading', { name: 'Muhtasari', level: 1 }).waitFor();
    } finally {
      await other.context().close();
    }
  });

  it('logs out to a sign-in page in the same language', async () => {
    await page.getByRole('button', { name: 'Toka' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByRole('heading', { name: 'Ingia' }).waitFor();
    await page.getByLabel('Barua pepe').fill(OWNER.email);
    await page.getByLabel('Nenosiri').fill(OWNER.password);
    await page.getByRole('button', { name: 'Ingia' }).click();
    await nav(page, 'Menyu kuu').getByRole('link', { name: 'Muhtasari' }).waitFor();
  });

  it("shows the server's refusal in Kiswahili: a second plan of the same name", async () => {
    await createHourPlan(kasi);
    await page.goto('/plans');
    const form = page.locator('#new-plan');
    await form.getByLabel('Jina', { exact: true }).fill('Hour');
    await form.getByLabel('Kasi ya kupakua').fill('5');
    await form.getByLabel('Kasi ya kupakia').fill('1');
    await form.getByLabel(/^Bei \(/).fill('20');
    await form.getByRole('button', { name: 'Unda kifurushi' }).click();
    // PLAN.NAME_TAKEN, whose English from the server is 'A plan named "Hour" already exists'.
    await form.getByText('Kifurushi chenye jina hili tayari kipo.').waitFor();
    expect(await form.getByText('already exists').count()).toBe(0);
  });

  it("goes back to the organisation's language, on this browser and the next", async () => {
    await page.goto('/account');
    await page.getByLabel('Lugha ya Kasi').selectOption('');
    await nav(page, 'Main').getByRole('link', { name: 'Dashboard' }).waitFor();
    expect(await page.getByLabel('Language of the console').inputValue()).toBe('');
    await page.reload();
    await page.getByRole('heading', { name: 'Account & security', level: 1 }).waitFor();

    const other = await freshLogin();
    try {
      await nav(other, 'Main').getByRole('link', { name: 'Dashboard' }).waitFor();
    } finally {
      await other.context().close();
    }
  });
});
