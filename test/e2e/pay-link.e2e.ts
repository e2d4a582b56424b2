// A subscriber pays an invoice by link on a 360 px phone: the server-rendered pay page, the
// M-Pesa STK push to a local Daraja fake, "check your phone" until the callback arrives and
// the STK query confirms it, then the receipt. The production server runs the jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { DARAJA_TEST_CREDENTIALS, startDarajaFake, type DarajaFake } from '@kasi/payments/testing';
import type { KasiProcess } from '../support/kasi-process.ts';
import { startBillingConsole } from '../support/billing-console.ts';
import { PHONE } from '../support/console-page.ts';
import { apiAs } from '../support/api-client.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
/** The operator's logo (a real 1×1 PNG), set in settings: the pay page shows it. */
const LOGO =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

let kasi: KasiProcess;
let daraja: DarajaFake;
let browser: Browser;
let api: Awaited<ReturnType<typeof apiAs>>;
let payUrl = '';
let stkUrl = '';
let invoiceId = '';

beforeAll(async () => {
  daraja = await startDarajaFake();
  const started = await startBillingConsole({
    owner: OWNER,
    subscribers: ['jane'],
    env: { KASI_MPESA_API_URL: daraja.url, KASI_JOB_POLL_SECONDS: '0.5' },
  });
  ({ kasi, browser } = started);
  const janeId = started.subscriberIds.jane ?? '';
  api = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  const draft = await api.invoice.createDraft.mutate({
    subscriberId: janeId,
    lines: [{ kind: 'other', description: 'April service', unitPriceMinor: 150_000n }],
  });
  invoiceId = (await api.invoice.finalise.mutate({ id: draft.id })).id;
  await api.gateway.set.mutate({ gateway: 'mpesa', config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' } });
  await api.gateway.setEnabled.mutate({ gateway: 'mpesa', enabled: true });
  expect(await api.gateway.test.mutate({ gateway: 'mpesa' })).toMatchObject({ ok: true });
  const [gw] = await api.gateway.list.query();
  stkUrl = (gw?.webhookUrls as { stkCallback: string }).stkCallback;
  payUrl = (await api.gateway.createPayLink.mutate({ subscriberId: janeId, invoiceId })).url;
  await api.settings.update.mutate({ logo: LOGO, brandColour: '#0b5cad' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
  await daraja?.close();
});

const onKasi = (url: string) => kasi.baseUrl + new URL(url).pathname;

describe('pay link on a phone', () => {
  it('pays an invoice with M-Pesa and shows the receipt once M-Pesa confirms', async () => {
    const context = await browser.newContext({ ...PHONE });
    const page = await context.newPage();
    const scripts: number[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script')
        void r.body().then((b) => scripts.push(gzipSync(b).length));
    });
    await page.goto(onKasi(payUrl));
    await page.getByRole('heading', { name: 'Acme WISP' }).waitFor();
    // The operator's logo, loaded from its own address with no cookie, beside the name.
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="brand-logo"]');
      return Boolean(img?.complete && img.naturalWidth === 1);
    });
    expect(await page.getByTestId('amount').textContent()).toContain('1500.00 KES');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    daraja.setNextOutcome('pending');
    await page.getByLabel('M-Pesa phone number').fill('0712 345 678');
    await page.getByRole('button', { name: 'Pay with M-Pesa' }).click();
    await page.getByText('Check your phone.').waitFor();
    // Nothing has been decided yet: the page says nothing about failure while M-Pesa is silent.
    await page.waitForTimeout(3500);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByText('Check your phone.').waitFor();

    const push = daraja.pushes.at(-1)!;
    expect(push.request).toMatchObject({ Amount: 1500, PhoneNumber: '254712345678' });
    daraja.settle(push.checkoutRequestId, 0);
    const res = await fetch(onKasi(stkUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: daraja.callbackBody(push.checkoutRequestId, 0, { receipt: 'RKT9E2E001' }),
    });
    expect(res.status).toBe(200);

    await page.getByText('Payment received. Thank you!').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('receipt').textContent()).toBe('RKT9E2E001');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect((await context.cookies()).length).toBe(0);
    expect(scripts.reduce((a, b) => a + b, 0)).toBeLessThan(30 * 1024);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect((await api.invoice.get.query({ id: invoiceId })).status).toBe('paid');
    await context.close();
  });

  it('shows the exact reason when the buyer cancels, offers a retry, and a settled balance link says so', async () => {
    const { subscriberId } = await api.invoice.get.query({ id: invoiceId });
    const balance = await api.gateway.createPayLink.mutate({ subscriberId, invoiceId: null });
    const context = await browser.newContext({ ...PHONE });
    const page = await context.newPage();
    await page.goto(onKasi(balance.url));
    await page.getByText('Nothing to pay. Thank you!').waitFor();

    const draft = await api.invoice.createDraft.mutate({
      subscriberId,
      lines: [{ kind: 'other', description: 'May service', unitPriceMinor: 50_000n }],
    });
    const may = await api.invoice.finalise.mutate({ id: draft.id });
    const link = await api.gateway.createPayLink.mutate({ subscriberId, invoiceId: may.id });
    await page.goto(onKasi(link.url));
    daraja.setNextOutcome(1032);
    await page.getByLabel('M-Pesa phone number').fill('0712345678');
    await page.getByRole('button', { name: 'Pay with M-Pesa' }).click();
    await page.getByText('Check your phone.').waitFor();
    const push = daraja.pushes.at(-1)!;
    await fetch(onKasi(stkUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: daraja.callbackBody(push.checkoutRequestId, 1032),
    });
    await page.getByText('You cancelled the payment on your phone.').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Pay with M-Pesa' }).waitFor();
    expect((await api.invoice.get.query({ id: may.id })).status).toBe('open');
    await context.close();
  });

  it('answers an unknown link with the same page as an expired one', async () => {
    const res = await fetch(`${kasi.baseUrl}/p/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('not valid or has expired');
    const scriptSrc = /script-src ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    expect(scriptSrc).toBe("'self'");
  });
});
