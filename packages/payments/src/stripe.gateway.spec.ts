import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '@kasi/domain';
import { StripeGateway } from './stripe.gateway.ts';
import { stripeConfigSchema } from './stripe.config.ts';
import {
  startStripeFake,
  STRIPE_TEST_KEY,
  STRIPE_TEST_WEBHOOK_SECRET,
  type StripeFake,
} from './testing/stripe.fake.ts';

let fake: StripeFake;
beforeAll(async () => {
  fake = await startStripeFake();
});
afterAll(() => fake.close());

const gateway = (secretKey = STRIPE_TEST_KEY) =>
  new StripeGateway(stripeConfigSchema.parse({ secretKey, webhookSecret: STRIPE_TEST_WEBHOOK_SECRET }), {
    baseUrl: fake.url,
  });
const start = (g: StripeGateway, attemptId = crypto.randomUUID()) =>
  g.startPayment({
    attemptId,
    amount: money(2_500n, 'USD'),
    description: 'Invoice INV-000007',
    accountReference: 'INV-000007',
    returnUrl: 'https://isp.example/p/tok?a=x',
    cancelUrl: 'https://isp.example/p/tok',
  });

describe('Stripe gateway', () => {
  it('creates a Checkout Session in payment mode keyed by the attempt id', async () => {
    const attemptId = crypto.randomUUID();
    const started = await start(gateway(), attemptId);
    expect(started.kind).toBe('redirect');
    const req = fake.requests.at(-1)!;
    expect(req.headers['idempotency-key']).toBe(`kasi-attempt-${attemptId}`);
    const form = new URLSearchParams(req.body);
    expect(form.get('mode')).toBe('payment');
    expect(form.get('client_reference_id')).toBe(attemptId);
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('2500');
    expect(form.get('line_items[0][price_data][currency]')).toBe('usd');
    // The same attempt started twice is the same session (a double click, a retried request).
    const again = await start(gateway(), attemptId);
    expect(again.providerRef).toBe(started.providerRef);
  });

  it('fulfils on checkout.session.completed only when paid', async () => {
    const g = gateway();
    const started = await start(g);
    const unpaid = fake.sessions.get(started.providerRef)!;
    const pending = g.verifyWebhook(fake.delivery('checkout.session.completed', unpaid));
    expect(pending).toMatchObject({ ok: true, events: [{ type: 'pending' }] });
    const paid = fake.pay(started.providerRef);
    const verdict = g.verifyWebhook(
      fake.delivery('checkout.session.completed', paid, { eventId: 'evt_paid1' }),
    );
    expect(verdict).toMatchObject({
      ok: true,
      events: [
        {
          eventId: 'evt_paid1',
          type: 'succeeded',
          providerRef: paid.id,
          attemptId: paid.client_reference_id,
          amountMinor: 2_500n,
          currency: 'USD',
          receipt: paid.payment_intent,
        },
      ],
    });
    expect(g.acknowledge(verdict).status).toBe(200);
  });

  it('fulfils a delayed method on async_payment_succeeded and fails it on async_payment_failed', async () => {
    const g = gateway();
    const started = await start(g);
    const s = fake.pay(started.providerRef);
    expect(g.verifyWebhook(fake.delivery('checkout.session.async_payment_succeeded', s))).toMatchObject({
      events: [{ type: 'succeeded' }],
    });
    expect(g.verifyWebhook(fake.delivery('checkout.session.async_payment_failed', s))).toMatchObject({
      events: [{ type: 'failed' }],
    });
  });

  it('refuses a tampered body with 400', async () => {
    const g = gateway();
    const s = fake.pay((await start(g)).providerRef);
    const d = fake.delivery('checkout.session.completed', s);
    const tampered = Buffer.from(d.rawBody.toString().replace('"amount_total":2500', '"amount_total":1'));
    const verdict = g.verifyWebhook({ rawBody: tampered, headers: d.headers });
    expect(verdict).toMatchObject({ ok: false, status: 400 });
    expect(g.acknowledge(verdict).status).toBe(400);
  });

  it('refuses a stale timestamp, a wrong secret and a missing signature', async () => {
    const g = gateway();
    const s = fake.pay((await start(g)).providerRef);
    const stale = fake.delivery('checkout.session.completed', s, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect(g.verifyWebhook(stale)).toMatchObject({ ok: false, status: 400 });
    const foreign = fake.delivery('checkout.session.completed', s, { secret: 'whsec_other' });
    expect(g.verifyWebhook(foreign)).toMatchObject({ ok: false, status: 400 });
    expect(g.verifyWebhook({ rawBody: foreign.rawBody, headers: {} })).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it('refuses a test event on a live key', async () => {
    const g = gateway('sk_live_kasi123');
    const s = fake.pay((await start(gateway())).providerRef);
    expect(g.verifyWebhook(fake.delivery('checkout.session.completed', s))).toMatchObject({ ok: false });
  });

  it('gives a replayed delivery the same event id (the inbox keeps one)', async () => {
    const g = gateway();
    const s = fake.pay((await start(g)).providerRef);
    const d = fake.delivery('checkout.session.completed', s, { eventId: 'evt_replay' });
    const ids = [g.verifyWebhook(d), g.verifyWebhook(d)].map((v) => (v.ok ? v.events[0]!.eventId : null));
    expect(ids).toEqual(['evt_replay', 'evt_replay']);
  });

  it('ignores events it does not act on', async () => {
    const g = gateway();
    const s = fake.pay((await start(g)).providerRef);
    expect(g.verifyWebhook(fake.delivery('customer.created', s))).toMatchObject({
      events: [{ type: 'ignored' }],
    });
  });

  it('retrieves a session for a lost webhook', async () => {
    const g = gateway();
    const started = await start(g);
    expect((await g.fetchStatus(started.providerRef)).state).toBe('pending');
    fake.pay(started.providerRef);
    expect(await g.fetchStatus(started.providerRef)).toMatchObject({
      state: 'succeeded',
      amountMinor: 2_500n,
    });
  });

  it('refunds by payment intent with an idempotency key', async () => {
    const g = gateway();
    const s = fake.pay((await start(g)).providerRef);
    const r = await g.refund({
      providerRef: s.payment_intent!,
      amountMinor: 1_000n,
      idempotencyKey: 'kasi-refund-1',
    });
    expect(r.refundId).toMatch(/^re_/);
    expect(fake.requests.at(-1)!.headers['idempotency-key']).toBe('kasi-refund-1');
  });

  it('tests the connection and says when the key is refused', async () => {
    await expect(gateway().testConnection()).resolves.toBeUndefined();
    await expect(gateway('sk_test_wrong').testConnection()).rejects.toMatchObject({
      code: 'PAYMENT.GATEWAY_REFUSED',
    });
  });
});
