import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '@kasi/domain';
import { PaypalGateway } from './paypal.gateway.ts';
import { paypalConfigSchema } from './paypal.config.ts';
import { minorToPaypalValue, paypalValueToMinor } from './paypal.events.ts';
import { PAYPAL_TEST_CREDENTIALS, startPaypalFake, type PaypalFake } from './testing/paypal.fake.ts';

let fake: PaypalFake;
beforeAll(async () => {
  fake = await startPaypalFake();
});
afterAll(() => fake.close());

const gateway = (over: Partial<typeof PAYPAL_TEST_CREDENTIALS> = {}, now?: () => Date) =>
  new PaypalGateway(paypalConfigSchema.parse({ ...PAYPAL_TEST_CREDENTIALS, ...over }), {
    baseUrl: fake.url,
    ...(now && { now }),
  });
const start = (g: PaypalGateway, attemptId = crypto.randomUUID(), amount = money(2_500n, 'USD')) =>
  g.startPayment({
    attemptId,
    amount,
    description: 'Invoice INV-000007',
    accountReference: 'INV-000007',
    returnUrl: `https://isp.example/p/tok/a/${attemptId}`,
    cancelUrl: 'https://isp.example/p/tok',
  });

describe('PayPal gateway', () => {
  it('creates an Orders v2 order keyed by the attempt id and redirects to the approval page', async () => {
    const attemptId = crypto.randomUUID();
    const started = await start(gateway(), attemptId);
    expect(started.kind).toBe('redirect');
    if (started.kind !== 'redirect') return;
    expect(started.url).toBe(`${fake.url}/checkoutnow?token=${started.providerRef}`);
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe('/v2/checkout/orders');
    expect(req.headers['paypal-request-id']).toBe(`kasi-attempt-${attemptId}`);
    const body = JSON.parse(req.body) as {
      intent: string;
      purchase_units: { custom_id: string; amount: { value: string; currency_code: string } }[];
    };
    expect(body.intent).toBe('CAPTURE');
    expect(body.purchase_units[0]).toMatchObject({
      custom_id: attemptId,
      amount: { currency_code: 'USD', value: '25.00' },
    });
    // A double click is the same order.
    expect((await start(gateway(), attemptId)).providerRef).toBe(started.providerRef);
  });

  it('caches the OAuth token across adapters and fetches a new one when PayPal says it expired', async () => {
    let t = Date.now();
    const g = gateway({}, () => new Date(t));
    fake.expireToken();
    const before = fake.tokensIssued();
    await start(g); // 401 with the cached token → one new token, the call retried
    expect(fake.tokensIssued()).toBe(before + 1);
    await start(g);
    await start(gateway()); // the server builds an adapter per request: same cache
    await Promise.all([1, 2, 3].map(() => gateway().testConnection()));
    expect(fake.tokensIssued()).toBe(before + 1);
    t += 9 * 3600_000; // past expires_in (32400 s)
    await start(g);
    expect(fake.tokensIssued()).toBe(before + 2);
  });

  it('is pending until approved, captures an approved order once and reports the capture', async () => {
    const g = gateway();
    const { providerRef } = await start(g);
    expect(await g.fetchStatus(providerRef)).toMatchObject({
      state: 'pending',
      resultCode: 'PAYER_ACTION_REQUIRED',
    });
    fake.approve(providerRef);
    const paid = await g.fetchStatus(providerRef);
    expect(paid).toMatchObject({ state: 'succeeded', amountMinor: 2_500n });
    const captureId = fake.orders.get(providerRef)!.capture!.id;
    expect(paid.receipt).toBe(captureId);
    // Asking again (the return page and reconciliation both ask) does not capture twice.
    expect((await g.fetchStatus(providerRef)).receipt).toBe(captureId);
    const captures = fake.requests.filter((r) => r.path === `/v2/checkout/orders/${providerRef}/capture`);
    expect(captures).toHaveLength(1);
  });

  it('reports a declined funding source as a failure with a plain reason', async () => {
    const g = gateway();
    const { providerRef } = await start(g);
    fake.approve(providerRef);
    fake.declineNextCapture();
    expect(await g.fetchStatus(providerRef)).toMatchObject({
      state: 'failed',
      reason: 'PayPal declined the payment. Try again or choose another method.',
    });
  });

  it('verifies a delivery through PayPal and normalises the capture', async () => {
    const g = gateway();
    const attemptId = crypto.randomUUID();
    const { providerRef } = await start(g, attemptId);
    fake.approve(providerRef);
    fake.captureNow(providerRef);
    const d = fake.delivery('PAYMENT.CAPTURE.COMPLETED', fake.captureResource(providerRef), {
      eventId: 'WH-1',
    });
    const verdict = await g.verifyWebhook(d);
    expect(verdict).toMatchObject({
      ok: true,
      events: [
        {
          eventId: 'WH-1',
          type: 'succeeded',
          providerRef,
          attemptId,
          amountMinor: 2_500n,
          currency: 'USD',
          receipt: fake.orders.get(providerRef)!.capture!.id,
        },
      ],
    });
    const call = fake.requests.at(-1)!;
    expect(call.path).toBe('/v1/notifications/verify-webhook-signature');
    expect(JSON.parse(call.body)).toMatchObject({
      webhook_id: PAYPAL_TEST_CREDENTIALS.webhookId,
      auth_algo: 'SHA256withRSA',
    });
    expect(g.acknowledge(verdict).status).toBe(200);
  });

  it('refuses a tampered body, a forged signature, another webhook id, missing headers and bad JSON', async () => {
    const g = gateway();
    const { providerRef } = await start(g);
    fake.approve(providerRef);
    fake.captureNow(providerRef);
    const res = fake.captureResource(providerRef);
    const d = fake.delivery('PAYMENT.CAPTURE.COMPLETED', res);
    const tampered = Buffer.from(d.rawBody.toString().replace('"value":"25.00"', '"value":"2500.00"'));
    expect(await g.verifyWebhook({ rawBody: tampered, headers: d.headers })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(
      await g.verifyWebhook(fake.delivery('PAYMENT.CAPTURE.COMPLETED', res, { forge: true })),
    ).toMatchObject({
      ok: false,
    });
    expect(
      await g.verifyWebhook(fake.delivery('PAYMENT.CAPTURE.COMPLETED', res, { webhookId: 'OTHERWEBHOOK1' })),
    ).toMatchObject({ ok: false });
    const calls = fake.requests.length;
    expect(await g.verifyWebhook({ rawBody: d.rawBody, headers: {} })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(await g.verifyWebhook({ rawBody: Buffer.from('{nope'), headers: d.headers })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(fake.requests.length).toBe(calls); // refused before asking PayPal
  });

  it('refunds by capture id with an idempotency key, once per key, and normalises the refund event', async () => {
    const g = gateway();
    const { providerRef } = await start(g);
    fake.approve(providerRef);
    const captureId = (await g.fetchStatus(providerRef)).receipt!;
    const req = {
      providerRef: captureId,
      amountMinor: 1_000n,
      currency: 'USD',
      idempotencyKey: 'kasi-refund-1',
    };
    const r1 = await g.refund(req);
    const r2 = await g.refund(req);
    expect(r2.refundId).toBe(r1.refundId);
    expect(fake.refunds.filter((r) => r.captureId === captureId)).toHaveLength(1);
    expect(JSON.parse(fake.requests.at(-1)!.body)).toEqual({
      amount: { currency_code: 'USD', value: '10.00' },
    });
    await expect(
      g.refund({ ...req, amountMinor: 5_000n, idempotencyKey: 'kasi-refund-2' }),
    ).rejects.toMatchObject({
      code: 'PAYMENT.GATEWAY_REFUSED',
      details: { issue: 'REFUND_AMOUNT_EXCEEDED' },
    });
    const rf = fake.refunds.find((x) => x.id === r1.refundId)!;
    const v = await g.verifyWebhook(fake.delivery('PAYMENT.CAPTURE.REFUNDED', fake.refundResource(rf)));
    expect(v).toMatchObject({
      ok: true,
      events: [{ type: 'refunded', providerRef: captureId, receipt: r1.refundId, amountMinor: 1_000n }],
    });
  });

  it('searches transactions for a day: captures and refunds with their sign', async () => {
    const g = gateway();
    const { providerRef } = await start(g);
    fake.approve(providerRef);
    const captureId = (await g.fetchStatus(providerRef)).receipt!;
    await g.refund({
      providerRef: captureId,
      amountMinor: 500n,
      currency: 'USD',
      idempotencyKey: 'kasi-refund-s',
    });
    const txs = await g.transactions(new Date(Date.now() - 3600_000), new Date(Date.now() + 3600_000));
    expect(txs.filter((t) => t.id === captureId)).toMatchObject([
      { amountMinor: 2_500n, eventCode: 'T0006' },
    ]);
    expect(txs.some((t) => t.amountMinor === -500n && t.eventCode === 'T1107')).toBe(true);
  });

  it('takes only PayPal currencies, HUF in whole forints rounded up', () => {
    const g = gateway();
    expect(() => g.toProviderAmount(money(100n, 'KES'))).toThrow(/PayPal does not take KES/);
    expect(g.toProviderAmount(money(150_050n, 'HUF'))).toEqual({ value: 150_100, chargedMinor: 150_100n });
    expect(minorToPaypalValue(150_100n, 'HUF')).toBe('1501');
    expect(minorToPaypalValue(1_500n, 'JPY')).toBe('1500');
    expect(minorToPaypalValue(5n, 'USD')).toBe('0.05');
    expect(paypalValueToMinor({ currency_code: 'USD', value: '12.5' })).toBe(1_250n);
    expect(paypalValueToMinor({ currency_code: 'HUF', value: '1501' })).toBe(150_100n);
  });

  it('tests the connection and says when the credentials are refused', async () => {
    await expect(gateway().testConnection()).resolves.toBeUndefined();
    await expect(gateway({ clientSecret: 'EWrongSecret000000' }).testConnection()).rejects.toMatchObject({
      code: 'PAYMENT.GATEWAY_REFUSED',
    });
  });
});
