// Non-payment as an operator meets it on a tablet: the day's billing run (CLI) issues jane's
// invoice, a later run finds it unpaid past grace and suspends her; on her page the operator
// records the cash she brings, and sees her status go from suspended to active (restored by
// the restore job the payment enqueued) with the Disconnect billing sent. Production PWA,
// real server with its job workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { KasiProcess } from '../support/kasi-process.ts';
import { startBillingConsole } from '../support/billing-console.ts';
import { openConsole, TABLET } from '../support/console-page.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };

let kasi: KasiProcess;
let browser: Browser;

const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** The first day after grace (3 days) that is not a weekend, when dunning suspends by default. */
function suspensionDay(today: string): string {
  let day = addDays(today, 4);
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = addDays(day, 1);
  return day;
}

beforeAll(async () => {
  ({ kasi, browser } = await startBillingConsole({ owner: OWNER, subscribers: ['jane'] }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

describe('dunning on a tablet', () => {
  it('a billing run suspends an overdue subscriber; a cash payment on her page restores her', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const first = await kasi.cli<{ issued: number }>('billing:run', '--tenant', 'acme', '--date', today);
    expect(first.issued).toBe(1);
    const later = suspensionDay(today);
    const dry = await kasi.cli<{ suspensions: unknown[]; issued: number }>(
      'billing:run',
      '--tenant',
      'acme',
      '--date',
      later,
      '--dry-run',
    );
    expect(dry.suspensions).toHaveLength(1);
    const run = await kasi.cli<{ suspended: number }>('billing:run', '--tenant', 'acme', '--date', later);
    expect(run.suspended).toBe(1);

    const page = await openConsole({ browser, kasi, owner: OWNER, screen: TABLET });
    await page.goto('/subscribers');
    await page.getByRole('link', { name: 'jane' }).click();
    await page.getByRole('heading', { name: 'jane', level: 1 }).waitFor();
    const status = page.getByRole('heading', { name: /^Status:/, level: 2 });
    await expect.poll(() => status.textContent()).toContain('Suspended');
    await page.getByText('overdue', { exact: true }).first().waitFor();
    await page.getByTestId('dunning').waitFor();
    expect(await page.getByTestId('last-disconnect').textContent()).toContain('Suspended by billing');

    const pay = page.getByRole('form', { name: 'Record payment' });
    await pay.getByLabel('Amount received').fill('1500');
    await pay.getByRole('button', { name: 'Record payment' }).click();
    await pay.getByText(/Recorded 1500\.00 KES/).waitFor();
    // The restore job runs in the server within its poll interval; the page follows it.
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('Active');
    await expect
      .poll(() => page.getByTestId('last-disconnect').textContent(), { timeout: 10_000 })
      .toContain('Restored by billing');
    expect(await page.getByTestId('last-disconnect').textContent()).toContain('Disconnect:');
    expect(await page.getByTestId('dunning').count()).toBe(0);

    // She promises to pay the next one late: the operator records it on her page.
    await page.getByText('Promise to pay, never suspend').click();
    const promise = page.getByRole('form', { name: 'Promise to pay' });
    await promise.getByLabel('Promise to pay within (days)').fill('5');
    await promise.getByRole('button', { name: 'Record promise' }).click();
    // The day in the tenant's date format (ADR 0030), e.g. 12/14/2026 for a tenant in 'en'.
    await promise.getByText(/No suspension before \d{2}\/\d{2}\/\d{4}\./).waitFor();
    await page.getByText(/Promised to pay: no suspension before/).waitFor();

    // The policy lives on the Billing settings page, saved and read back.
    await page.goto('/billing/settings');
    const policy = page.getByRole('form', { name: 'Dunning policy' });
    await policy.getByLabel('Holidays').fill('2026-12-25\n2027-01-01');
    await policy.getByLabel('Saturday').uncheck();
    await policy.getByRole('button', { name: 'Save dunning policy' }).click();
    await policy.getByText('Dunning policy saved.').waitFor();
    await page.reload();
    expect(await page.getByLabel('Holidays').inputValue()).toBe('2026-12-25\n2027-01-01');
    expect(await page.getByLabel('Saturday').isChecked()).toBe(false);
    expect(await page.getByLabel('Sunday').isChecked()).toBe(true);
    await page.context().close();
  });
});
