// Subscribers as an operator handles them on a tablet: import 20 from CSV (preview, dry run,
// commit), open one, suspend and resume them with a reason; and at 360 px the list and the
// subscriber page fit the screen (no sideways scrolling). Production PWA, real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { KasiProcess } from '../support/kasi-process.ts';
import { startBillingConsole } from '../support/billing-console.ts';
import { openConsole, pageWidth, PHONE, TABLET, type Screen } from '../support/console-page.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };

let kasi: KasiProcess;
let browser: Browser;

const CSV = [
  'Login,Customer Name,Mobile,Package,Tags',
  ...Array.from({ length: 20 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return `client${n},Client ${n},+2547000000${n},Home 10M,tower-${i % 2 ? 'a' : 'b'}`;
  }),
].join('\n');

beforeAll(async () => {
  ({ kasi, browser } = await startBillingConsole({ owner: OWNER, subscribers: [] }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

const signedIn = (screen: Screen) => openConsole({ browser, kasi, owner: OWNER, screen });

describe('subscribers on a tablet', () => {
  it('imports 20 subscribers from CSV, then suspends and resumes one', async () => {
    const page = await signedIn(TABLET);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Subscribers' }).click();
    await page.getByRole('heading', { name: 'Subscribers', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Import CSV' }).click();

    await page.getByLabel('…or paste the CSV text').fill(CSV);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: '2. Columns (20 rows)' }).waitFor();
    // The mapping guessed from the headers; the operator ignores the tags column.
    expect(await page.getByLabel('Login').inputValue()).toBe('username');
    expect(await page.getByLabel('Package').inputValue()).toBe('plan');
    expect(await page.getByLabel('Mobile').inputValue()).toBe('phone');
    await page.getByLabel('Tags').selectOption('');

    await page.getByRole('button', { name: 'Dry run' }).click();
    const summary = page.getByTestId('dry-run-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/20\s+of 20 rows would be imported,\s+0\s+refused/);
    await page.getByRole('button', { name: 'Import 20 subscribers' }).click();
    await page.getByRole('heading', { name: 'Imported 20 subscribers' }).waitFor();
    expect(await page.locator('table code').count()).toBe(20);

    await page.getByRole('link', { name: 'See the subscribers' }).click();
    await page.waitForURL('**/subscribers');
    await page.getByText('20 subscribers', { exact: true }).waitFor();
    await page.getByLabel('Search').fill('Client 07');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('1 subscriber', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'client07' }).click();
    await page.getByRole('heading', { name: 'client07', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Live sessions' }).waitFor();
    await page.getByRole('img', { name: /Usage over the last 30 days/ }).waitFor();

    await page.getByRole('button', { name: 'Suspend' }).click();
    const suspend = page.getByRole('dialog', { name: 'Suspend client07?' });
    await suspend.getByLabel('Reason').fill('Unpaid for May');
    await suspend.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('status').filter({ hasText: 'client07 is suspended' }).waitFor();
    await page.getByRole('heading', { name: 'Status: Suspended' }).waitFor();
    await page.getByText('Unpaid for May').first().waitFor();

    await page.getByRole('button', { name: 'Resume' }).click();
    const resume = page.getByRole('dialog', { name: 'Resume client07?' });
    await resume.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('heading', { name: 'Status: Active' }).waitFor();
    const history = page.getByRole('list', { name: 'Audit timeline' });
    await history.getByText('Resumed').waitFor();
    expect(await history.getByText('Suspended').count()).toBe(1);
    await page.context().close();
  });

  it('keeps the list and the subscriber page within a 360 px phone screen', async () => {
    const page = await signedIn(PHONE);
    await page.goto('/subscribers');
    await page.getByRole('heading', { name: 'Subscribers', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'client01' }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.getByRole('link', { name: 'client01' }).click();
    await page.getByRole('heading', { name: 'client01', level: 1 }).waitFor();
    await page.getByRole('img', { name: /Usage over the last 30 days/ }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.context().close();
  });
});
