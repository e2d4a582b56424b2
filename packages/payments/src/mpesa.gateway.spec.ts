import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '@kasi/domain';
import { MpesaGateway, normaliseMsisdn } from './mpesa.gateway.ts';
import { mpesaConfigSchema } from './mpesa.config.ts';
import { darajaTimestamp } from './mpesa.time.ts';
import { DARAJA_TEST_CREDENTIALS, startDarajaFake, type DarajaFake } from './testing/daraja.fake.ts';

let fake: DarajaFake;
beforeAll(async () => {
  fake = await startDarajaFake();
});
afterAll(() => fake.close());

const config = (over: Record<string, unknown> = {}) =>
  mpesaConfigSchema.parse({ ...DARAJA_TEST_CREDENTIALS, kind: 'paybill', ...over });
const gateway = (over: Record<string, unknown> = {}, now = () => new Date()) =>
  new MpesaGateway(config(over), { baseUrl: fake.url, now });
const push = (g: MpesaGateway, amountMinor = 150_000n) =>
  g.startPayment({
    attemptId: '7b0c5d8e-0000-4000-8000-000000000001',
    amount: money(amountMinor, 'KES'),
    description: 'Invoice INV-000123 for April',
    accountReference: 'INV-000123-LONGER',
    phone: '0712 345 678',
    callbackUrl: 'https://isp.example/hooks/mpesa/t/secret/stk',
  });
const hook = (body: string) => ({ rawBody: Buffer.from(body), headers: {} });

describe('M-Pesa Daraja gateway', () => {
  it('pushes to a Paybill with the Password, whole shillings and a 12-character reference', async () => {
    const started = await push(gateway(), 150_050n);
    expect(started.kind).toBe('push_sent');
    const req = fake.pushes.at(-1)!.request;
    expect(req).toMatchObject({
      TransactionType: 'CustomerPayBillOnline',
      Amount: 1501,
      PartyA: '254712345678',
      PartyB: '174379',
      AccountReference: 'INV-000123-L',
      TransactionDesc: 'Invoice INV-0',
    });
    const expected = Buffer.from(`174379${DARAJA_TEST_CREDENTIALS.passkey}${String(req.Timestamp)}`).toString(
      'base64',
    );
    expect(req.Password).toBe(expected);
  });

  it('pushes to a Till as Buy Goods with the till as PartyB', async () => {
    await push(gateway({ kind: 'till', tillNumber: '600100' }));
    expect(fake.pushes.at(-1)!.request).toMatchObject({
      TransactionType: 'CustomerBuyGoodsOnline',
      PartyB: '600100',
    });
  });

  it('rounds a fractional shilling up and says what is charged', () => {
    expect(gateway().toProviderAmount(money(10_001n, 'KES'))).toEqual({ value: 101, chargedMinor: 10_100n });
    expect(() => gateway().toProviderAmount(money(100n, 'USD'))).toThrow(/KES/);
  });

  it('keeps the token for its hour and fetches a new one when Daraja says it expired', async () => {
    const g = gateway();
    const before = fake.tokensIssued();
    await push(g);
    await push(g);
    expect(fake.tokensIssued()).toBe(before + 1);
    fake.expireToken();
    await push(g);
    expect(fake.tokensIssued()).toBe(before + 2);
  });

  it('fetches a new token once the hour has passed', async () => {
    let t = Date.now();
    const g = gateway({}, () => new Date(t));
    const before = fake.tokensIssued();
    await push(g);
    t += 3_600_000;
    await push(g);
    expect(fake.tokensIssued()).toBe(before + 2);
  });

  it('tells the buyer plainly that another payment is in progress (500.001.1001)', async () => {
    fake.failNextPush('500.001.1001', 'Unable to lock subscriber, a transaction is already in process');
    await expect(push(gateway())).rejects.toMatchObject({ code: 'PAYMENT.GATEWAY_BUSY' });
  });

  it('refuses a number that is not a Kenyan mobile', () => {
    expect(normaliseMsisdn('+254 712-345-678')).toBe('254712345678');
    expect(() => normaliseMsisdn('12345')).toThrow(/Safaricom number/);
  });

  it('queries a push: pending while M-Pesa is processing, then the exact result', async () => {
    const g = gateway();
    const started = await push(g);
    expect((await g.fetchStatus(started.providerRef)).state).toBe('pending');
    fake.settle(started.providerRef, 2001);
    expect(await g.fetchStatus(started.providerRef)).toMatchObject({
      state: 'failed',
      resultCode: '2001',
      reason: 'The M-Pesa PIN was wrong. Try again.',
    });
    fake.settle(started.providerRef, 0);
    expect((await g.fetchStatus(started.providerRef)).state).toBe('succeeded');
  });

  it.each([
    [0, 'succeeded', null],
    [1, 'failed', 'Your M-Pesa balance is not enough for this payment.'],
    [
      17,
      'failed',
      'M-Pesa refused a second payment of the same amount within 2 minutes. Wait 2 minutes and try again.',
    ],
    [1019, 'failed', 'The request expired before the PIN was entered. Try again.'],
    [1032, 'failed', 'You cancelled the payment on your phone.'],
    [1037, 'failed', 'Your phone could not be reached. Check it is on and has signal, then try again.'],
    [2001, 'failed', 'The M-Pesa PIN was wrong. Try again.'],
  ])('reads an STK callback with ResultCode %i', async (code, type, reason) => {
    const g = gateway();
    const started = await push(g);
    const verdict = g.verifyWebhook(
      hook(fake.callbackBody(started.providerRef, code, { receipt: 'RKT1234ABC' })),
    );
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.events).toEqual([
      expect.objectContaining({
        eventId: `stk:${started.providerRef}:${code}`,
        type,
        providerRef: started.providerRef,
        reason,
        resultCode: String(code),
        receipt: code === 0 ? 'RKT1234ABC' : null,
        amountMinor: code === 0 ? 150_000n : null,
      }),
    ]);
    expect(JSON.parse(g.acknowledge(verdict).body)).toEqual({ ResultCode: 0, ResultDesc: 'Accepted' });
  });

  it('gives a replayed callback the same event id (the inbox keeps one)', async () => {
    const g = gateway();
    const started = await push(g);
    const body = fake.callbackBody(started.providerRef, 0);
    const a = g.verifyWebhook(hook(body));
    const b = g.verifyWebhook(hook(body));
    expect(a.ok && b.ok && a.events[0]!.eventId === b.events[0]!.eventId).toBe(true);
  });

  it('refuses malformed JSON and foreign shapes with 400', () => {
    expect(gateway().verifyWebhook(hook('{not json'))).toMatchObject({ ok: false, status: 400 });
    expect(gateway().verifyWebhook(hook('{"hello":1}'))).toMatchObject({ ok: false, status: 400 });
  });

  it('reads a C2B confirmation keyed by TransID with the account the customer typed', () => {
    const verdict = gateway().verifyWebhook(
      hook(
        JSON.stringify({
          TransactionType: 'Pay Bill',
          TransID: 'RKTQDM7W6S',
          TransTime: '20261207101500',
          TransAmount: '1500.00',
          BusinessShortCode: '174379',
          BillRefNumber: ' ACC-42 ',
          MSISDN: '2547 ***** 678',
        }),
      ),
    );
    expect(verdict).toMatchObject({
      ok: true,
      events: [
        {
          eventId: 'c2b:RKTQDM7W6S',
          type: 'direct_payment',
          amountMinor: 150_000n,
          accountReference: 'ACC-42',
        },
      ],
    });
  });

  it('answers C2B validation in Daraja’s words', () => {
    expect(JSON.parse(gateway().c2bValidationAnswer(true).body)).toEqual({
      ResultCode: '0',
      ResultDesc: 'Accepted',
    });
    expect(JSON.parse(gateway().c2bValidationAnswer(false).body)).toMatchObject({ ResultCode: 'C2B00012' });
  });

  it('registers C2B URLs and asks Transaction Status', async () => {
    const g = gateway({ initiatorName: 'kasiapi', securityCredential: 'enc' });
    await g.registerC2bUrls({
      confirmationUrl: 'https://isp.example/c',
      validationUrl: 'https://isp.example/v',
    });
    expect(JSON.parse(fake.requests.at(-1)!.body)).toMatchObject({
      ShortCode: '174379',
      ResponseType: 'Completed',
    });
    const status = await g.queryTransaction({
      transactionId: 'RKTQDM7W6S',
      occasion: 'q-1',
      resultUrl: 'https://r',
      timeoutUrl: 'https://t',
    });
    expect(status.conversationId).toMatch(/^AG_/);
    expect(JSON.parse(fake.requests.at(-1)!.body)).toMatchObject({
      CommandID: 'TransactionStatusQuery',
      TransactionID: 'RKTQDM7W6S',
      Occasion: 'q-1',
      IdentifierType: '4',
    });
  });

  it('tests the connection by asking for a token, and says so when the keys are wrong', async () => {
    await expect(gateway().testConnection()).resolves.toBeUndefined();
    await expect(gateway({ consumerSecret: 'wrong' }).testConnection()).rejects.toMatchObject({
      code: 'PAYMENT.GATEWAY_REFUSED',
    });
  });

  it('stamps Kenyan time', () => {
    expect(darajaTimestamp(new Date('2026-12-07T22:30:05Z'))).toBe('20261208013005');
  });
});
