// The agent app's Sync screen from a field test (issue 15 item 12), on a 360 px phone whose
// browser refuses persistent storage: the app asks for it at enrolment and again on sync,
// and Sync says the data may be cleared; with a sale waiting, opening Sync never shows
// "All sales sent" before it has read the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { enrolPhone, openPhone, sellOne } from '../support/agent-phone.ts';
import { apiAs } from '../support/api-client.ts';
import { launchChromium } from '../support/chromium.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { createAgent, createHourPlan, createTenant } from '../support/seed.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const AGENT = { email: 'amina@acme.test', password: 'agent password 1' };

let kasi: KasiProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  kasi = await startKasi({ KASI_RADIUSD: 'off' });
  await createTenant(kasi, OWNER);
  const plan = await createHourPlan(kasi);
  await kasi.cli('vouchers:generate', '--tenant', 'acme', '--plan', plan.id, '--count', '5');
  await createAgent(kasi, AGENT, { limit: '1000.00' });
  const owner = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  browser = await launchChromium();
  ({ context, page } = await openPhone(browser, kasi.baseUrl));
  // A browser that refuses to keep the data, counting how often the app asks; and every text
  // the Sync screen's pending line ever shows, from its first paint.
  await context.addInitScript(() => {
    const w = window as unknown as { persistAsked: number; pendingTexts: string[] };
    w.persistAsked = 0;
    w.pendingTexts = [];
    Object.defineProperty(navigator.storage, 'persisted', { value: () => Promise.resolve(false) });
    Object.defineProperty(navigator.storage, 'persist', {
      value: () => {
        w.persistAsked++;
        return Promise.resolve(false);
      },
    });
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="pending-count"]')?.textContent?.trim();
      if (text && w.pendingTexts.at(-1) !== text) w.pendingTexts.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await enrolPhone(page, { agent: AGENT, operator: owner, label: 'Amina phone', codes: 3, planId: plan.id });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

const persistAsked = () => page.evaluate(() => (window as unknown as { persistAsked: number }).persistAsked);
const pendingTexts = () =>
  page.evaluate(() => (window as unknown as { pendingTexts: string[] }).pendingTexts);

describe('the Sync screen', () => {
  it('asked the browser to keep the data at enrolment', async () => {
    expect(await persistAsked()).toBeGreaterThanOrEqual(1);
  });

  it('says the browser refused to keep the data', async () => {
    await page.getByRole('navigation', { name: 'Agent' }).getByRole('link', { name: 'Sync' }).click();
    await page.getByRole('heading', { name: 'Sync', exact: true }).waitFor();
    const refused = page.getByTestId('storage-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('May be cleared if the phone runs out of space');
  });

  it('never shows "All sales sent" while a sale waits to be sent', async () => {
    await page.getByRole('navigation', { name: 'Agent' }).getByRole('link', { name: 'Sell' }).click();
    await page.getByRole('heading', { name: 'Sell' }).waitFor();
    await context.setOffline(true);
    await sellOne(page);
    await page.evaluate(() => {
      (window as unknown as { pendingTexts: string[] }).pendingTexts = [];
    });
    await page.getByRole('navigation', { name: 'Agent' }).getByRole('link', { name: 'Sync' }).click();
    await page
      .getByTestId('pending-count')
      .filter({ hasText: /1 sale/ })
      .waitFor();
    const seen = await pendingTexts();
    expect(seen.at(-1)).toMatch(/1 sale/);
    expect(seen.filter((t) => t.includes('All sales sent'))).toEqual([]);
    await context.setOffline(false);
  });
});
