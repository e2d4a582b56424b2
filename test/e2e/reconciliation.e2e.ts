// Billing → Reconciliation as an owner uses it, on a 1024×768 screen and a 360×740 phone: M-Pesa
// with Pull Transactions enabled (the Daraja fake lists the day's Paybill payments), one payment
// applied, one waiting in suspense and one whose confirmation never came. "Run now" lists the two
// differences with what to do (the suspense one links to the queue), the day's totals show cash
// and M-Pesa, and asking M-Pesa about the lost receipt shows the answer once Daraja's
// Transaction Status result arrives. Stripe is enabled too (its fake lists two card payments
// Kasi never heard of, both disputed, one dispute won): its run lists the disputes and the one
// won with what to do, and its day's money has a Disputes figure (chargebacks less the one won).
// axe finds nothing serious; nothing scrolls sideways.
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  DARAJA_TEST_CREDENTIALS,
  STRIPE_TEST_KEY,
  STRIPE_TEST_WEBHOOK_SECRET,
  startDarajaFake,
  startStripeFake,
  type DarajaFake,
  type FakeC2b,
  type FakeDispute,
  type StripeFake,
} from '@kasi/payments/testing';
import type { KasiProcess } from '../support/kasi-process.ts';
import { startBillingConsole } from '../support/billing-console.ts';
import { openConsole, pageWidth, PHONE, type Screen } from '../support/console-page.ts';
import { apiAs } from '../support/api-client.ts';

const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const DESK: Screen = { viewport: { width: 1024, height: 768 }, isMobile: false, hasTouch: false };

let kasi: KasiProcess;
let daraja: DarajaFake;
let stripe: StripeFake;
let won: FakeDispute;
let open: FakeDispute;
let browser: Browser;
let api: Awaited<ReturnType<typeof apiAs>>;
let today = '';
let typo: FakeC2b;
let lost: FakeC2b;

const onKasi = (url: string) => kasi.baseUrl + new URL(url).pathname;

async function until(check: () => Promise<boolean>, what: string) {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A card payment made at Stripe that Kasi never heard of (a Checkout Session paid there). */
async function paidAtStripe(amount: number) {
  const res = await fetch(`${stripe.url}/v1/checkout/sessions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${STRIPE_TEST_KEY}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      'line_items[0][price_data][unit_amount]': String(amount),
      'line_items[0][price_data][currency]': 'usd',
    }),
  });
  const session = (await res.json()) as { id: string };
  return stripe.pay(session.id).id;
}

beforeAll(async () => {
  daraja = await startDarajaFake();
  stripe = await startStripeFake();
  const started = await startBillingConsole({
    owner: OWNER,
    subscribers: ['jane', 'omar'],
    env: {
      KASI_MPESA_API_URL: daraja.url,
      KASI_STRIPE_API_URL: stripe.url,
      KASI_JOB_POLL_SECONDS: '0.5',
    },
  });
  ({ kasi, browser } = started);
  api = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  await api.gateway.set.mutate({
    gateway: 'mpesa',
    config: {
      ...DARAJA_TEST_CREDENTIALS,
      kind: 'paybill',
      initiatorName: 'kasiapi',
      securityCredential: 'c2VjcmV0LWVuY3J5cHRlZA==',
      c2bPull: true,
    },
  });
  await api.gateway.setEnabled.mutate({ gateway: 'mpesa', enabled: true });
  await api.gateway.set.mutate({
    gateway: 'stripe',
    config: { secretKey: STRIPE_TEST_KEY, webhookSecret: STRIPE_TEST_WEBHOOK_SECRET },
  });
  await api.gateway.setEnabled.mutate({ gateway: 'stripe', enabled: true });
  won = stripe.dispute(await paidAtStripe(2_000));
  stripe.winDispute(won.id);
  open = stripe.dispute(await paidAtStripe(1_200));
  const gw = (await api.gateway.list.query()).find((g) => g.gateway === 'mpesa');
  const c2bUrl = (gw?.webhookUrls as { c2bConfirmation: string }).c2bConfirmation;
  await api.payment.record.mutate({
    subscriberId: started.subscriberIds.omar ?? '',
    amountMinor: 50_000n,
    currency: 'KES',
    method: 'cash',
  });
  const paid = daraja.payC2b({ amount: 800, billRef: 'jane' });
  const wrong = daraja.payC2b({ amount: 300, billRef: 'NOBODY-1' });
  typo = wrong.transaction;
  lost = daraja.payC2b({ amount: 450, billRef: 'jane' }).transaction; // its confirmation never comes
  for (const body of [paid.confirmation, wrong.confirmation]) {
    const res = await fetch(onKasi(c2bUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
  }
  await until(
    async () => (await api.gateway.suspense.query()).length === 1,
    'the Paybill payments to be applied',
  );
  today = (await api.reconcile.day.query({ day: null })).today;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kasi?.stop();
  await daraja?.close();
  await stripe?.close();
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

describe('reconciliation at 1024×768', () => {
  it('runs the day, lists each difference with what to do, totals by method, and asks M-Pesa about a receipt', async () => {
    const page = await signedIn(DESK);
    await page.goto(`/billing/reconciliation?day=${today}`);
    await page.getByRole('heading', { name: 'Reconciliation', level: 1 }).waitFor();
    const mpesa = page.getByRole('region', { name: 'M-Pesa', exact: true });
    await mpesa.getByText('Not reconciled yet for this day.').waitFor();

    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('status').filter({ hasText: 'Reconciled' }).waitFor();
    await mpesa.getByText('Differences', { exact: true }).waitFor();
    await mpesa.getByText('Provider: 3 · Kasi: 1 · Matching: 1').waitFor();
    // The day's money: M-Pesa reports no fees, net or payouts Kasi can read.
    const day = mpesa.getByRole('table', { name: 'M-Pesa: Money on the day' });
    const kes = day.getByRole('row', { name: /^KES/ });
    await kes.getByText(/^1,?550\.00 KES$/).waitFor();
    expect(await kes.getByText('Not reported').count()).toBe(3);
    await kes.getByText(/^800\.00 KES \/ 0\.00 KES \/ 0\.00 KES$/).waitFor();
    await mpesa.getByText(/M-Pesa lists no reversals, fees or payouts/).waitFor();
    const diffs = mpesa.getByRole('table', { name: 'M-Pesa: Differences' });
    const typoRow = diffs.getByRole('row', { name: new RegExp(typo.transId) });
    await typoRow.getByRole('link', { name: 'Match it in the suspense queue' }).waitFor();
    await typoRow.getByText('Missing in Kasi').waitFor();
    const lostRow = diffs.getByRole('row', { name: new RegExp(lost.transId) });
    await lostRow.getByText(/Find whose money it is/).waitFor();
    expect(await diffs.getByRole('row').count()).toBe(3); // header + two differences

    const totals = page.getByRole('table', { name: /^Received on/ });
    await totals.getByRole('row', { name: /Cash/ }).getByText('500.00 KES').waitFor();
    await totals
      .getByRole('row', { name: /M-Pesa/ })
      .getByText('800.00 KES')
      .waitFor();
    // Stripe: both card payments are missing in Kasi, so are their disputes; the one won is
    // listed with what to do. Disputes on the day: 20.00 + 12.00 taken, 20.00 given back.
    const card = page.getByRole('region', { name: 'Stripe', exact: true });
    const usd = card
      .getByRole('table', { name: 'Stripe: Money on the day' })
      .getByRole('row', { name: /^USD/ });
    await usd.getByRole('cell', { name: '32.00 USD', exact: true }).waitFor(); // received
    await usd.getByRole('cell', { name: '12.00 USD', exact: true }).waitFor(); // disputes
    const cardDiffs = card.getByRole('table', { name: 'Stripe: Differences' });
    await cardDiffs
      .getByRole('row', { name: new RegExp(open.id) })
      .getByText('Dispute missing in Kasi')
      .waitFor();
    const wonRow = cardDiffs.getByRole('row', { name: /Dispute won, money back/ });
    await wonRow.getByText(won.id).waitFor();
    await wonRow.getByText(/issue the customer a credit note/).waitFor();
    expect(await cardDiffs.getByText('Dispute missing in Kasi').count()).toBe(2);
    expect(await axeSerious(page)).toEqual([]);

    const ask = page.getByRole('region', { name: 'Ask M-Pesa about a receipt' });
    await ask.getByLabel('M-Pesa receipt').fill('bad!');
    await ask.getByRole('button', { name: 'Ask M-Pesa' }).click();
    await ask
      .getByRole('alert')
      .filter({ hasText: /8 to 12 letters and digits/ })
      .waitFor();
    await ask.getByLabel('M-Pesa receipt').fill(lost.transId.toLowerCase());
    await ask.getByRole('button', { name: 'Ask M-Pesa' }).click();
    await ask.getByRole('status').filter({ hasText: 'Asked.' }).waitFor();
    await ask
      .getByRole('row', { name: new RegExp(lost.transId) })
      .getByText('Waiting for M-Pesa')
      .waitFor();

    // Daraja answers on the ResultURL Kasi sent with the question.
    const q = daraja.statusQueries.at(-1)!;
    const res = await fetch(onKasi(String(q.request.ResultURL)), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: daraja.statusResultBody(q),
    });
    expect(res.status).toBe(200);
    await page.reload();
    await ask
      .getByRole('row', { name: new RegExp(lost.transId) })
      .getByText(`Found: ${lost.transId}, 450.00 KES`)
      .waitFor();
    await until(
      async () => (await api.gateway.suspense.query()).length === 2,
      'the found payment in suspense',
    );
    await page.context().close();
  });
});

describe('reconciliation on a 360×740 phone', () => {
  it('reads without sideways scrolling and passes axe', async () => {
    const page = await signedIn(PHONE);
    await page.goto(`/billing/reconciliation?day=${today}`);
    await page.getByRole('heading', { name: 'Reconciliation', level: 1 }).waitFor();
    await page
      .getByRole('region', { name: 'M-Pesa', exact: true })
      .getByText('Missing in Kasi')
      .first()
      .waitFor();
    await page
      .getByRole('region', { name: 'Stripe', exact: true })
      .getByText('Dispute won, money back')
      .waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.getByRole('textbox', { name: 'Day' }).fill(today);
    expect(await axeSerious(page)).toEqual([]);
    await page.context().close();
  });
});
