// A hotspot customer buys a plan by link on a 360 px phone: a "buy plan" pay link (made by the
// `pay-link:plan` CLI, as the hotspot page's "buy now" makes one), the M-Pesa STK push to a
// local Daraja fake, the callback through the production server's inbox and job, and the
// voucher code on the page with "log in now". No cookies; the pay page stays under 30 KB JS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { DARAJA_TEST_CREDENTIALS, startDarajaFake, type DarajaFake } from '@kasi/payments/testing';
import type { KasiProcess } from '../support/kasi-process.ts';
import { startBillingConsole } from '../support/billing-console.ts';
import { PHONE } from '../support/console-page.ts';
import { apiAs } from '../support/api-client.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };

let kasi: KasiProcess;
let daraja: DarajaFake;
let browser: Browser;
let api: Awaited<ReturnType<typeof apiAs>>;
let payUrl = '';
let stkUrl = '';

beforeAll(async () => {
  daraja = await startDarajaFake();
  const started = await startBillingConsole({
    owner: OWNER,
    subscribers: [],
    env: { KASI_MPESA_API_URL: daraja.url, KASI_JOB_POLL_SECONDS: '0.5' },
  });
  ({ kasi, browser } = started);
  api = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  await api.plan.create.mutate({
    name: 'Day pass',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    priceMinor: 5_000n,
    currency: 'KES',
    audience: 'voucher',
    validitySeconds: 86_400,
  });
  await api.gateway.set.mutate({ gateway: 'mpesa', config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' } });
  await api.gateway.setEnabled.mutate({ gateway: 'mpesa', enabled: true });
  const [gw] = await api.gateway.list.query();
  stkUrl = (gw?.webhookUrls as { stkCallback: string }).stkCallback;
  const made = await kasi.cli<{ url: string }>(
    'pay-link:plan',
    '--tenant',
    'acme',
    '--plan',
    'Day pass',
    '--mac',
    'AA:BB:CC:DD:EE:01',
    '--ip',
    '10.5.50.20',
  );
  payUrl = made.url;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
  await daraja?.close();
});

const onKasi = (url: string) => kasi.baseUrl + new URL(url).pathname;

describe('buying a plan by link on a phone', () => {
  it('pays with M-Pesa and shows the voucher code with "log in now"', async () => {
    const context = await browser.newContext({ ...PHONE });
    const page = await context.newPage();
    const scripts: number[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script')
        void r.body().then((b) => scripts.push(gzipSync(b).length));
    });
    await page.goto(onKasi(payUrl));
    await page.getByText('Internet: Day pass').waitFor();
    expect(await page.getByTestId('amount').textContent()).toContain('50.00 KES');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    daraja.setNextOutcome('pending');
    await page.getByLabel('M-Pesa phone number').fill('0712 345 678');
    await page.getByRole('button', { name: 'Pay with M-Pesa' }).click();
    await page.getByText('Check your phone.').waitFor();
    const push = daraja.pushes.at(-1)!;
    expect(push.request).toMatchObject({ Amount: 50, PhoneNumber: '254712345678' });
    daraja.settle(push.checkoutRequestId, 0);
    const body = daraja.callbackBody(push.checkoutRequestId, 0, { receipt: 'RKT9BUY001' });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(onKasi(stkUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(200);
    }

    const codeEl = page.getByTestId('voucher-code');
    await codeEl.waitFor({ timeout: 20_000 });
    const code = (await codeEl.textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{8,12}$/);
    const login = await page.getByTestId('login-now').getAttribute('href');
    expect(login).toContain(`/login?username=${code}&password=${code}`);
    await page.getByRole('button', { name: 'Log in now' }).waitFor();
    expect(await page.getByTestId('receipt').textContent()).toBe('RKT9BUY001');
    expect((await context.cookies()).length).toBe(0);
    expect(scripts.reduce((a, b) => a + b, 0)).toBeLessThan(30 * 1024);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // The link is spent: opened again it shows the same code, and nothing to pay.
    await page.goto(onKasi(payUrl));
    expect(await page.getByTestId('voucher-code').textContent()).toBe(code);
    expect(await page.getByRole('button', { name: 'Pay with M-Pesa' }).count()).toBe(0);
    await context.close();
  });
});
