// Billing as an operator does it on a tablet: a one-off charge becomes a draft, is finalised
// with the first number of the series, is paid in two cash payments (part paid, then paid
// with the rest kept as credit) and shows up in the invoice list; settings save; at 360 px the
// subscriber's billing and the invoice page fit the screen. Production PWA, real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { KasiProcess } from '../support/kasi-process.ts';
import { startBillingConsole } from '../support/billing-console.ts';
import { openConsole, pageWidth, PHONE, TABLET, type Screen } from '../support/console-page.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };

let kasi: KasiProcess;
let browser: Browser;

beforeAll(async () => {
  ({ kasi, browser } = await startBillingConsole({ owner: OWNER, subscribers: ['jane'] }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
});

const signedIn = (screen: Screen) => openConsole({ browser, kasi, owner: OWNER, screen });

async function openJane(page: Page): Promise<void> {
  await page.goto('/subscribers');
  await page.getByRole('link', { name: 'jane' }).click();
  await page.getByRole('heading', { name: 'jane', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Billing', level: 2 }).waitFor();
}

describe('billing on a tablet', () => {
  it('charges, finalises, takes two cash payments and lists the paid invoice', async () => {
    const page = await signedIn(TABLET);
    await openJane(page);
    expect(await page.getByTestId('balance').textContent()).toContain('Settled');

    await page.getByText('Add a charge or discount').click();
    const charge = page.getByRole('form', { name: 'Add a charge' });
    await charge.getByLabel('Description').fill('Installation and router');
    await charge.getByLabel('Amount each (KES)').fill('2500');
    await charge.getByRole('button', { name: 'Create draft invoice' }).click();
    await page.getByRole('heading', { name: /Invoice \(draft\)/ }).waitFor();

    await page.getByRole('button', { name: 'Finalise' }).click();
    await page.getByRole('heading', { name: /Invoice INV-000001/ }).waitFor();
    expect(await page.getByTestId('due').textContent()).toBe('2500.00 KES');

    const pay = page.getByRole('form', { name: 'Record payment' });
    await pay.getByLabel('Amount received').fill('1000');
    await pay.getByRole('button', { name: 'Record payment' }).click();
    await page.getByRole('status').filter({ hasText: 'receipt RCT-000001. Owes 1500.00 KES.' }).waitFor();
    await page.getByText('Part paid').first().waitFor();
    await pay.getByLabel('Amount received').fill('2000');
    await pay.getByRole('button', { name: 'Record payment' }).click();
    await page.getByRole('status').filter({ hasText: 'In credit 500.00 KES.' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
    const row = page.getByRole('row', { name: /INV-000001/ });
    await row.getByText('Paid').waitFor();
    expect(await row.textContent()).toContain('2500.00 KES');

    await openJane(page);
    expect(await page.getByTestId('balance').textContent()).toContain('In credit 500.00 KES');
    await page.getByRole('button', { name: 'RCT-000002' }).waitFor();
    const shown = await kasi.cli<{ status: string; dueMinor: string }>(
      'invoice:show',
      '--tenant',
      'acme',
      '--invoice',
      'INV-000001',
    );
    expect(shown.status).toBe('paid');
    await page.context().close();
  });

  it('saves billing settings', async () => {
    const page = await signedIn(TABLET);
    await page.goto('/billing/settings');
    await page.getByLabel('Grace days').fill('5');
    await page.getByRole('button', { name: 'Add tax rate' }).click();
    await page.getByLabel('Rate id', { exact: true }).fill('vat');
    await page.getByLabel('Rate name', { exact: true }).fill('VAT 16%');
    await page.getByLabel('Rate (%)').fill('16');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Billing settings saved.' }).waitFor();
    await page.reload();
    expect(await page.getByLabel('Grace days').inputValue()).toBe('5');
    expect(await page.getByLabel('Rate (%)').inputValue()).toBe('16');
    await page.context().close();
  });

  it('keeps the subscriber’s billing and the invoice page within a 360 px phone screen', async () => {
    const page = await signedIn(PHONE);
    await openJane(page);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.getByRole('link', { name: 'INV-000001' }).click();
    await page.getByRole('heading', { name: /Invoice INV-000001/ }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.context().close();
  });
});
