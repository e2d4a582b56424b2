// The console's payments screens as an operator uses them, on a 1024×768 screen and a 360×740
// phone: a Paybill payment to an unknown account shows on the dashboard and is matched from the
// suspense queue (search, confirm); the payments list filters by method and subscriber and
// exports the same rows as CSV; a payment's page shows the M-Pesa receipt, the inbox event and
// the ledger effect, and takes an M-Pesa reversal through its Refund button; the pay link is
// made on an invoice and a subscriber, and "Send by SMS" says plainly why it cannot go. axe
// finds nothing serious on the new pages, and nothing scrolls sideways on the phone.
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DARAJA_TEST_CREDENTIALS, startDarajaFake, type DarajaFake } from '@kasi/payments/testing';
import type { KasiProcess } from '../support/kasi-process.ts';
import { startBillingConsole } from '../support/billing-console.ts';
import { openConsole, pageWidth, PHONE, type Screen } from '../support/console-page.ts';
import { apiAs } from '../support/api-client.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const DESK: Screen = { viewport: { width: 1024, height: 768 }, isMobile: false, hasTouch: false };

let kasi: KasiProcess;
let daraja: DarajaFake;
let browser: Browser;
let api: Awaited<ReturnType<typeof apiAs>>;
let janeId = '';
let omarId = '';
let invoiceId = '';
let c2bUrl = '';

const onKasi = (url: string) => kasi.baseUrl + new URL(url).pathname;

async function paybill(transId: string, account: string, amount: string) {
  const res = await fetch(onKasi(c2bUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      TransactionType: 'Pay Bill',
      TransID: transId,
      TransAmount: amount,
      BillRefNumber: account,
      MSISDN: '2547****678',
    }),
  });
  expect(res.status).toBe(200);
}

/** Polls the server until `check` holds (the apply job runs in the server's own workers). */
async function until(check: () => Promise<boolean>, what: string) {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  daraja = await startDarajaFake();
  const started = await startBillingConsole({
    owner: OWNER,
    subscribers: ['jane', 'omar'],
    env: { KASI_MPESA_API_URL: daraja.url, KASI_JOB_POLL_SECONDS: '0.5' },
  });
  ({ kasi, browser } = started);
  janeId = started.subscriberIds.jane ?? '';
  omarId = started.subscriberIds.omar ?? '';
  api = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  await api.gateway.set.mutate({ gateway: 'mpesa', config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' } });
  await api.gateway.setEnabled.mutate({ gateway: 'mpesa', enabled: true });
  const [gw] = await api.gateway.list.query();
  c2bUrl = (gw?.webhookUrls as { c2bConfirmation: string }).c2bConfirmation;
  const draft = await api.invoice.createDraft.mutate({
    subscriberId: janeId,
    lines: [{ kind: 'other', description: 'May service', unitPriceMinor: 200_000n }],
  });
  invoiceId = (await api.invoice.finalise.mutate({ id: draft.id })).id;

  await api.payment.record.mutate({
    subscriberId: omarId,
    amountMinor: 50_000n,
    currency: 'KES',
    method: 'cash',
  });
  await paybill('RKC9E2E001', 'jane', '800.00');
  await paybill('RKC9E2E002', 'NOBODY-1', '300.00');
  await until(
    async () =>
      (await api.gateway.suspense.query()).length === 1 &&
      (await api.gateway.payments.query({ method: 'mpesa' })).rows.length === 1,
    'the Paybill payments to be applied',
  );
  await api.subscriber.update.mutate({ id: omarId, phone: '+254712000222' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
  await daraja?.close();
});

const signedIn = (screen: Screen) => openConsole({ browser, kasi, owner: OWNER, screen });

async function axeSerious(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page: page as never })
    .options({ resultTypes: ['violations'] })
    .analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('payments console at 1024×768', () => {
  it('matches a payment in suspense from the dashboard’s figure, with confirmation', async () => {
    const page = await signedIn(DESK);
    const figure = page.getByRole('link', { name: /Payments in suspense/ });
    expect(await figure.textContent()).toContain('1');
    await figure.click();
    await page.getByRole('heading', { name: 'Payments in suspense', level: 1 }).waitFor();
    await page.getByText('Account typed: NOBODY-1').waitFor();
    await page.getByRole('button', { name: 'Match RKC9E2E002' }).click();
    const search = page.getByRole('search', { name: /RKC9E2E002/ });
    await search.getByLabel('Find the subscriber or invoice').fill('om');
    await search.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: 'Credit omar' }).waitFor();
    expect(await axeSerious(page)).toEqual([]);
    await page.getByRole('button', { name: 'Credit omar' }).click();
    const dialog = page.getByRole('dialog', { name: 'Match this payment?' });
    await dialog.getByText('300.00 KES (M-Pesa RKC9E2E002) will be recorded as paid by omar').waitFor();
    await dialog.getByRole('button', { name: 'Match' }).click();
    await page.getByRole('status').filter({ hasText: 'recorded for omar' }).waitFor();
    await page.getByText('No payment is waiting to be matched.').waitFor();
    expect((await api.gateway.payments.query({ subscriberId: omarId, method: 'mpesa' })).rows).toHaveLength(
      1,
    );
    await page.context().close();
  });

  it('filters the payments list, exports the same rows, and opens a payment with its provider story', async () => {
    const page = await signedIn(DESK);
    await page.goto('/billing/payments');
    await page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
    const list = page.getByRole('table', { name: 'Payments' });
    await list.getByRole('row', { name: /RKC9E2E001/ }).waitFor();
    expect(await list.getByRole('row').count()).toBe(4); // header + cash, Paybill, matched Paybill

    const filters = page.getByRole('form', { name: 'Filter payments' });
    await filters.getByLabel('Method').selectOption('mpesa');
    await filters.getByLabel('Subscriber').fill('jan');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/method=mpesa/);
    await list.getByRole('row', { name: /RKC9E2E001/ }).waitFor();
    expect(await list.getByRole('row').count()).toBe(2);

    const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(csvHref).toContain('method=mpesa');
    const csv = await page.request.get(csvHref ?? '');
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split(/\r\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('RKC9E2E001');
    expect(lines[1]).toContain('80000');

    await filters.getByLabel('Amount from').fill('not money');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /Not an amount/ })
      .waitFor();
    await filters.getByLabel('Amount from').fill('');
    await filters.getByRole('button', { name: 'Filter' }).click();

    await list.getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Payment RCT-/, level: 1 }).waitFor();
    expect(await page.getByTestId('provider-receipt').textContent()).toBe('RKC9E2E001');
    expect(await page.getByTestId('amount').textContent()).toBe('800.00 KES');
    await page.getByText('Paid straight into the Paybill (C2B)').waitFor();
    const events = page.getByRole('region', { name: 'Provider events' });
    await events.getByText(/Applied/).waitFor();
    // 800.00 on the 2000.00 invoice, nothing left as credit.
    const ledger = page.getByRole('region', { name: 'Ledger effect' });
    await ledger.getByRole('link', { name: 'INV-000001' }).waitFor();
    expect(await page.getByTestId('credit').textContent()).toBe('0.00 KES');
    expect(await axeSerious(page)).toEqual([]);

    await page.getByRole('button', { name: 'Refund' }).click();
    const refund = page.getByRole('form', { name: 'Refund this payment' });
    await refund.getByLabel('Amount to give back').fill('800');
    await refund.getByLabel('Reason').fill('Paid to the wrong account');
    await refund.getByLabel('M-Pesa reversal transaction id').fill('RKR9E2E001');
    await refund.getByRole('button', { name: 'Refund' }).click();
    await page.getByRole('status').filter({ hasText: '800.00 KES refunded' }).waitFor();
    await page.getByText('Nothing is left to refund on this payment.').waitFor();
    expect(await page.getByRole('button', { name: 'Refund' }).isDisabled()).toBe(true);

    await page.goto('/billing/payments?status=refunded');
    await list
      .getByRole('row', { name: /RKC9E2E001/ })
      .getByText('Refunded')
      .waitFor();
    expect(await list.getByRole('row').count()).toBe(2);
    await page.context().close();
  });

  it('makes a pay link on the invoice, copies it, and says why it cannot be texted', async () => {
    const page = await signedIn(DESK);
    await page.goto(`/billing/invoices/${invoiceId}`);
    const panel = page.getByRole('region', { name: 'Pay link' });
    await panel.getByRole('button', { name: 'Pay link' }).click();
    const link = panel.getByLabel('Link to send');
    await link.waitFor();
    expect(await link.inputValue()).toMatch(/\/p\/[\w-]{16,}$/);
    await panel.getByRole('button', { name: 'Copy' }).click();
    // Copied, or — where the browser refuses the clipboard — selected for copying by hand.
    await panel
      .getByRole('status')
      .filter({ hasText: /^(Copied\.|The link is selected)/ })
      .waitFor();
    await panel.getByRole('button', { name: 'Send by SMS' }).click();
    await panel.getByRole('alert').filter({ hasText: 'jane has no phone number' }).waitFor();

    // Omar has a phone, but this tenant has not set SMS up.
    await page.goto(`/subscribers/${omarId}`);
    const his = page.getByRole('region', { name: 'Pay link' });
    await his.getByRole('button', { name: 'Send by SMS' }).click();
    await his.getByRole('alert').filter({ hasText: 'SMS not configured' }).waitFor();

    await page.goto(`/subscribers/${janeId}`);
    const hers = page.getByRole('region', { name: 'Pay link' });
    expect(await hers.getByRole('button', { name: 'Send by SMS' }).isDisabled()).toBe(true);
    await hers.getByText('No phone number on this account').waitFor();
    await page.context().close();
  });
});

describe('payments console at 360×740', () => {
  it('fits the phone: list, payment page and suspense queue', async () => {
    const page = await signedIn(PHONE);
    await page.goto('/billing/payments');
    await page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await axeSerious(page)).toEqual([]);
    await page.getByRole('link', { name: /^RCT-/ }).first().click();
    await page.getByRole('heading', { name: /^Payment RCT-/, level: 1 }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    expect(await axeSerious(page)).toEqual([]);
    await page.goto('/billing/suspense');
    await page.getByRole('heading', { name: 'Payments in suspense', level: 1 }).waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.context().close();
  });
});
