// Refunding a "buy plan" purchase from the console (issue 13), on a 1024×768 screen and a
// 360×740 phone. A hotspot customer buys a code on the pay page with M-Pesa (the Daraja fake,
// the callback through the production server's inbox and job); the operator finds it under
// Billing → Plan purchases, opens its code, sees the purchase (method, M-Pesa receipt, charge)
// and refunds it with the reversal id from the M-Pesa portal: the code shows void. Above the
// tenant's approval threshold the refund waits: the asker's Approve is disabled with the
// two-person reason, and a second operator approves it on a phone. axe finds nothing serious
// on the new screens (light, and colour contrast in dark), and nothing scrolls sideways on the phone.
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatVoucherCode } from '@kasi/domain';
import { DARAJA_TEST_CREDENTIALS, startDarajaFake, type DarajaFake } from '@kasi/payments/testing';
import type { KasiProcess } from '../support/kasi-process.ts';
import { startBillingConsole } from '../support/billing-console.ts';
import { openConsole, pageWidth, PHONE, type Screen } from '../support/console-page.ts';
import { apiAs } from '../support/api-client.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const SECOND = { email: 'second@acme.test', password: 'second person pass 1' };
const DESK: Screen = { viewport: { width: 1024, height: 768 }, isMobile: false, hasTouch: false };

let kasi: KasiProcess;
let daraja: DarajaFake;
let browser: Browser;
let api: Awaited<ReturnType<typeof apiAs>>;
let stkUrl = '';

const onKasi = (url: string) => kasi.baseUrl + new URL(url).pathname;

beforeAll(async () => {
  daraja = await startDarajaFake();
  const started = await startBillingConsole({
    owner: OWNER,
    subscribers: [],
    env: { KASI_MPESA_API_URL: daraja.url, KASI_JOB_POLL_SECONDS: '0.5' },
  });
  ({ kasi, browser } = started);
  api = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  for (const [name, priceMinor] of [
    ['Day pass', 5_000n],
    ['Month pass', 150_000n],
  ] as const) {
    await api.plan.create.mutate({
      name,
      downloadBps: 5_000_000,
      uploadBps: 1_000_000,
      priceMinor,
      currency: 'KES',
      audience: 'voucher',
      validitySeconds: 86_400,
    });
  }
  await api.gateway.set.mutate({ gateway: 'mpesa', config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' } });
  await api.gateway.setEnabled.mutate({ gateway: 'mpesa', enabled: true });
  const [gw] = await api.gateway.list.query();
  stkUrl = (gw?.webhookUrls as { stkCallback: string }).stkCallback;
  await kasi.cli(
    'user:add',
    '--tenant',
    'acme',
    '--email',
    SECOND.email,
    '--name',
    'Second Person',
    '--password',
    SECOND.password,
    '--role',
    'operator',
  );
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
  await daraja?.close();
});

/** A customer buys `plan` on the pay page with M-Pesa; resolves to the code it shows. */
async function customerBuys(plan: string, receipt: string, mac: string): Promise<string> {
  const made = await kasi.cli<{ url: string }>(
    'pay-link:plan',
    '--tenant',
    'acme',
    '--plan',
    plan,
    '--mac',
    mac,
    '--ip',
    '10.5.50.30',
  );
  const context = await browser.newContext({ ...PHONE });
  try {
    const page = await context.newPage();
    await page.goto(onKasi(made.url));
    daraja.setNextOutcome('pending');
    await page.getByLabel('M-Pesa phone number').fill('0712 345 678');
    await page.getByRole('button', { name: 'Pay with M-Pesa' }).click();
    await page.getByText('Check your phone.').waitFor();
    const push = daraja.pushes.at(-1)!;
    daraja.settle(push.checkoutRequestId, 0);
    const res = await fetch(onKasi(stkUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: daraja.callbackBody(push.checkoutRequestId, 0, { receipt }),
    });
    expect(res.status).toBe(200);
    const code = page.getByTestId('voucher-code');
    await code.waitFor({ timeout: 20_000 });
    return (await code.textContent()) ?? '';
  } finally {
    await context.close();
  }
}

/** Serious and critical axe findings; then colour contrast again in the dark theme. */
async function axeSerious(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    let axe = new AxeBuilder({ page: page as never }).options({ resultTypes: ['violations'] });
    if (colorScheme === 'dark') axe = axe.withRules(['color-contrast']);
    const { violations } = await axe.analyze();
    found.push(
      ...violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${colorScheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    );
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

/** The code's state badge on its page (Void once the purchase is refunded). */
const codeState = (page: Page) =>
  page.getByRole('region', { name: 'The code' }).locator('.badge').first().textContent();

describe('refunding a plan purchase at 1024×768', () => {
  it('finds the purchase under Billing, opens its code and refunds it: the code is void', async () => {
    const code = await customerBuys('Day pass', 'RKT9PLN001', 'AA:BB:CC:DD:EE:31');
    const page = await openConsole({ browser, kasi, owner: OWNER, screen: DESK });
    await page.goto('/billing/invoices');
    await page.getByRole('link', { name: 'Plan purchases' }).click();
    await page.getByRole('heading', { name: 'Plan purchases', level: 1 }).waitFor();
    const list = page.getByRole('table', { name: 'Plan purchases' });
    const row = list.getByRole('row', { name: new RegExp(formatVoucherCode(code)) });
    await row.getByText('RKT9PLN001').waitFor();
    await row.getByText('Paid', { exact: true }).waitFor();
    expect(await row.getByText('50.00 KES').count()).toBe(1);
    expect(await axeSerious(page)).toEqual([]);

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: formatVoucherCode(code), level: 1 }).waitFor();
    const bought = page.getByRole('region', { name: 'Bought online' });
    await bought.getByText('M-Pesa', { exact: true }).waitFor();
    expect(await page.getByTestId('purchase-receipt').textContent()).toBe('RKT9PLN001');
    expect(await page.getByTestId('purchase-amount').textContent()).toBe('50.00 KES');
    expect(await page.getByTestId('purchase-status').textContent()).toBe('Paid');
    expect(await codeState(page)).not.toBe('Void');
    expect(await axeSerious(page)).toEqual([]);

    await page.getByRole('button', { name: 'Refund purchase' }).click();
    const form = page.getByRole('form', { name: 'Refund this purchase' });
    await form
      .getByText(`The whole charge, 50.00 KES, goes back, and code ${formatVoucherCode(code)}`)
      .waitFor();
    await form.getByLabel('Reason').fill('Could not connect');
    await form.getByLabel('M-Pesa reversal transaction id').fill('rkr9pln001');
    // Not confirmed yet: nothing is sent.
    await form.getByRole('button', { name: 'Refund purchase' }).click();
    await form.getByText('Tick this to confirm that the code stops working.').waitFor();
    expect(await page.getByTestId('purchase-status').textContent()).toBe('Paid');
    expect(await axeSerious(page)).toEqual([]);
    await form.getByLabel(`Void code ${formatVoucherCode(code)} and end any session on it`).check();
    await form.getByRole('button', { name: 'Refund purchase' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `50.00 KES refunded; code ${formatVoucherCode(code)} is void.` })
      .waitFor();
    await page.getByText('RKR9PLN001').waitFor();
    expect(await page.getByTestId('purchase-status').textContent()).toBe('Refunded');
    expect(await codeState(page)).toBe('Void');
    const again = page.getByRole('button', { name: 'Refund purchase' });
    expect(await again.isDisabled()).toBe(true);
    await page.getByText('This purchase is already refunded or waiting for approval.').waitFor();

    const [purchase] = await api.gateway.planPurchases.query({ code });
    expect(purchase).toMatchObject({ status: 'refunded', voucherStatus: 'void' });

    await page.goto('/billing/plan-purchases?status=refunded');
    await list.getByRole('row', { name: new RegExp(formatVoucherCode(code)) }).waitFor();
    expect(await list.getByRole('row').count()).toBe(2);
    await page.context().close();
  });

  it('refuses an M-Pesa refund without the reversal id, in the server’s words', async () => {
    const code = await customerBuys('Day pass', 'RKT9PLN002', 'AA:BB:CC:DD:EE:32');
    const page = await openConsole({ browser, kasi, owner: OWNER, screen: DESK });
    await page.goto(`/vouchers/code/${code}`);
    await page.getByRole('button', { name: 'Refund purchase' }).click();
    const form = page.getByRole('form', { name: 'Refund this purchase' });
    await form.getByLabel('Reason').fill('Changed mind');
    await form.getByLabel(`Void code ${formatVoucherCode(code)} and end any session on it`).check();
    await form.getByRole('button', { name: 'Refund purchase' }).click();
    await form.getByText('Enter the reversal transaction id from the M-Pesa portal').first().waitFor();
    expect(await page.getByTestId('purchase-status').textContent()).toBe('Paid');
    expect(await codeState(page)).not.toBe('Void');
    await page.context().close();
  });
});

describe('a refund above the threshold, approved on a 360×740 phone', () => {
  it('waits for a second person, who approves it from Plan purchases', async () => {
    await api.billing.updateSettings.mutate({ approvalThresholdMinor: 100_000n });
    const code = await customerBuys('Month pass', 'RKT9PLN003', 'AA:BB:CC:DD:EE:33');
    const printed = formatVoucherCode(code);

    const asker = await openConsole({ browser, kasi, owner: OWNER, screen: DESK });
    await asker.goto(`/vouchers/code/${code}`);
    await asker.getByRole('button', { name: 'Refund purchase' }).click();
    const form = asker.getByRole('form', { name: 'Refund this purchase' });
    await form.getByLabel('Reason').fill('Paid twice');
    await form.getByLabel('M-Pesa reversal transaction id').fill('RKR9PLN003');
    await form.getByLabel(`Void code ${printed} and end any session on it`).check();
    await form.getByRole('button', { name: 'Refund purchase' }).click();
    await asker
      .getByRole('status')
      .filter({ hasText: /1\D?500\.00 KES waits for a second person’s approval\./ })
      .waitFor();
    await asker.getByTestId('purchase-status').filter({ hasText: 'Refund pending' }).waitFor();
    const approveMine = asker.getByRole('button', { name: 'Approve' });
    expect(await approveMine.isDisabled()).toBe(true);
    await asker.getByText('You asked for this: another person must approve or reject it.').waitFor();
    expect(await codeState(asker)).not.toBe('Void');
    await asker.context().close();

    const page = await openConsole({ browser, kasi, owner: SECOND, screen: PHONE });
    await page.goto('/billing/plan-purchases');
    const filters = page.getByRole('form', { name: 'Filter plan purchases' });
    await filters.getByLabel('Status').selectOption('refund_pending');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=refund_pending/);
    const list = page.getByRole('table', { name: 'Plan purchases' });
    await list.getByRole('link', { name: printed }).waitFor();
    // Only the purchase whose refund waits (the header row is hidden on a phone's cards).
    expect(await list.getByRole('link').count()).toBe(1);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await axeSerious(page)).toEqual([]);

    await list.getByRole('link', { name: printed }).click();
    await page.getByRole('heading', { name: printed, level: 1 }).waitFor();
    expect(await page.getByTestId('purchase-status').textContent()).toBe('Refund pending');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await axeSerious(page)).toEqual([]);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
    await page.getByTestId('purchase-status').filter({ hasText: 'Refunded' }).waitFor();
    expect(await codeState(page)).toBe('Void');
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.context().close();

    const [purchase] = await api.gateway.planPurchases.query({ code });
    expect(purchase).toMatchObject({ status: 'refunded', voucherStatus: 'void' });
  });
});
