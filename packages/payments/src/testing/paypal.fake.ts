// A local PayPal speaking its REST shapes for what Kasi calls: OAuth client credentials,
// Orders v2 (create, get, capture — idempotent by PayPal-Request-Id, with PayPal's 422 issues),
// capture refunds, transaction search (captures T0006, refunds T1107, and what a dispute moves:
// a hold T1110 and its release T1111, a chargeback T1201 with its fee T0106, a chargeback
// reversed T1202) and verify-webhook-signature. Deliveries are signed the
// way PayPal signs them: RSA-SHA256 over `<transmission id>|<time>|<webhook id>|<CRC32 of the
// body>`, and the verification endpoint checks exactly that against the fake's key, so a
// tampered body, another webhook id or a forged signature answers FAILURE. `GET /checkoutnow`
// is the buyer's approval page: it approves the order and redirects to the return URL.
import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { startFakeServer, type FakeServer, type FakeAnswer, type RecordedRequest } from './fake-server.ts';

export const PAYPAL_TEST_CREDENTIALS = {
  clientId: 'AKasiTestClientId0001',
  clientSecret: 'EKasiTestClientSecret01',
  webhookId: '1JE4291016473214C',
};

type Amount = { currency_code: string; value: string };

export interface FakeCapture {
  id: string;
  status: 'COMPLETED' | 'DECLINED' | 'PENDING';
  amount: Amount;
  custom_id: string | null;
  refunded: Amount[];
}

export interface FakeOrder {
  id: string;
  status: 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED' | 'VOIDED';
  request: Record<string, unknown>;
  amount: Amount;
  customId: string | null;
  returnUrl: string;
  cancelUrl: string;
  capture: FakeCapture | null;
  createdAt: Date;
}

export interface FakeRefund {
  id: string;
  captureId: string;
  amount: Amount;
  requestId: string | null;
  at: Date;
}

/** One transaction of a dispute as transaction search lists it (amount signed, minor units). */
export interface FakeDisputeMove {
  id: string;
  eventCode: 'T1110' | 'T1111' | 'T1201' | 'T1202' | 'T0106';
  /** `paypal_reference_id`: the capture (the chargeback's fee: the chargeback). */
  referenceId: string;
  amountMinor: number;
  currency: string;
  at: Date;
}

export interface PaypalFake extends FakeServer {
  orders: Map<string, FakeOrder>;
  refunds: FakeRefund[];
  tokensIssued: () => number;
  /** Makes every issued token expired: the next call gets 401 invalid_token. */
  expireToken(): void;
  /** The buyer approves the order on PayPal. */
  approve(orderId: string): FakeOrder;
  /** The next capture is declined by the buyer's funding source (INSTRUMENT_DECLINED). */
  declineNextCapture(): void;
  /** PayPal captures an approved order itself (as after a webhook-driven capture elsewhere). */
  captureNow(orderId: string): FakeCapture;
  /** A refund made in PayPal's own pages (not through Kasi), of `value` (e.g. "2.00"). */
  refundOutside(orderId: string, value: string, at?: Date): FakeRefund;
  /** Money a dispute moved, in the order it happened. */
  disputeMoves: FakeDisputeMove[];
  /** PayPal holds `value` of the capture while a dispute is looked into (T1110); returns the hold. */
  holdForDispute(orderId: string, value: string, at?: Date): FakeDisputeMove;
  /** The hold is let go (T1111). */
  releaseHold(hold: FakeDisputeMove, at?: Date): FakeDisputeMove;
  /** A chargeback of `value` on the capture (T1201), with PayPal's chargeback fee (T0106, minor units). */
  chargeback(orderId: string, value: string, opts?: { at?: Date; fee?: number }): FakeDisputeMove;
  /** The chargeback is reversed: the seller won, the money comes back (T1202). */
  reverseChargeback(chargeback: FakeDisputeMove, at?: Date): FakeDisputeMove;
  /** PayPal's fee on a capture in minor units (3.49 % + 0.49, as the fake charges it). */
  feeOf(capture: FakeCapture): number;
  /** A webhook delivery, signed as PayPal signs (or with another webhook id / a broken signature). */
  delivery(
    eventType: string,
    resource: Record<string, unknown>,
    opts?: { eventId?: string; webhookId?: string; forge?: boolean },
  ): { rawBody: Buffer; headers: Record<string, string> };
  /** The resource of a capture event for an order (PAYMENT.CAPTURE.*). */
  captureResource(orderId: string): Record<string, unknown>;
  /** The resource of a refund event (PAYMENT.CAPTURE.REFUNDED). */
  refundResource(refund: FakeRefund): Record<string, unknown>;
}

const pid = (n = 17) => randomBytes(n).toString('hex').toUpperCase().slice(0, n);
const notFound = (what: string): FakeAnswer => ({
  status: 404,
  body: {
    name: 'RESOURCE_NOT_FOUND',
    message: 'The specified resource does not exist.',
    debug_id: pid(12).toLowerCase(),
    details: [{ issue: 'INVALID_RESOURCE_ID', description: `Specified resource ID does not exist: ${what}` }],
  },
});
const unprocessable = (issue: string, description: string): FakeAnswer => ({
  status: 422,
  body: {
    name: 'UNPROCESSABLE_ENTITY',
    message:
      'The requested action could not be performed, semantically incorrect, or failed business validation.',
    debug_id: pid(12).toLowerCase(),
    details: [{ issue, description }],
  },
});

function sum(amounts: Amount[]): number {
  return amounts.reduce((s, a) => s + Math.round(Number(a.value) * 1000), 0);
}

/** A two-decimal amount in minor units, from PayPal's decimal string. */
const minorOf = (value: string) => {
  const [whole = '0', frac = ''] = value.replace(/^-/, '').split('.');
  return (Number(whole) * 100 + Number(`${frac}00`.slice(0, 2))) * (value.startsWith('-') ? -1 : 1);
};
const money = (minor: number) =>
  `${minor < 0 ? '-' : ''}${Math.floor(Math.abs(minor) / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;
const feeOf = (capture: FakeCapture) => Math.round(minorOf(capture.amount.value) * 0.0349) + 49;

export async function startPaypalFake(creds = PAYPAL_TEST_CREDENTIALS): Promise<PaypalFake> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const tokens = new Set<string>();
  let issued = 0;
  let declineNext = false;
  const orders = new Map<string, FakeOrder>();
  const refunds: FakeRefund[] = [];
  const disputeMoves: FakeDisputeMove[] = [];
  const byRequestId = new Map<string, FakeAnswer>();
  let url = '';

  const orderBody = (o: FakeOrder) => ({
    id: o.id,
    intent: 'CAPTURE',
    status: o.status,
    create_time: o.createdAt.toISOString(),
    purchase_units: [
      {
        reference_id: o.customId ?? 'default',
        custom_id: o.customId ?? undefined,
        amount: o.amount,
        ...(o.capture && {
          payments: {
            captures: [
              {
                id: o.capture.id,
                status: o.capture.refunded.length ? 'PARTIALLY_REFUNDED' : o.capture.status,
                amount: o.capture.amount,
                custom_id: o.capture.custom_id ?? undefined,
                final_capture: true,
              },
            ],
          },
        }),
      },
    ],
    links: [
      { href: `${url}/v2/checkout/orders/${o.id}`, rel: 'self', method: 'GET' },
      ...(o.status === 'PAYER_ACTION_REQUIRED'
        ? [{ href: `${url}/checkoutnow?token=${o.id}`, rel: 'payer-action', method: 'GET' }]
        : []),
    ],
  });

  const doCapture = (o: FakeOrder): FakeCapture => {
    o.capture = {
      id: pid(17),
      status: 'COMPLETED',
      amount: o.amount,
      custom_id: o.customId,
      refunded: [],
    };
    o.status = 'COMPLETED';
    return o.capture;
  };

  const once = (r: RecordedRequest, answer: () => FakeAnswer): FakeAnswer => {
    const rid = r.headers['paypal-request-id'];
    if (typeof rid !== 'string') return answer();
    const key = `${r.path}|${rid}`;
    const known = byRequestId.get(key);
    if (known) return known;
    const a = answer();
    if (a.status < 500) byRequestId.set(key, a);
    return a;
  };

  const route = (r: RecordedRequest): FakeAnswer => {
    if (r.method === 'GET' && r.path.startsWith('/checkoutnow')) {
      const id = new URL(r.path, 'http://x').searchParams.get('token') ?? '';
      const o = orders.get(id);
      if (!o)
        return { status: 404, body: null, text: 'No such order', headers: { 'content-type': 'text/plain' } };
      if (o.status === 'PAYER_ACTION_REQUIRED') o.status = 'APPROVED';
      const back = new URL(o.returnUrl);
      back.searchParams.set('token', o.id);
      back.searchParams.set('PayerID', 'FAKEPAYER01');
      return { status: 302, body: null, text: '', headers: { location: back.toString() } };
    }
    if (r.method === 'POST' && r.path === '/v1/oauth2/token') {
      const basic = Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64');
      if (r.headers.authorization !== `Basic ${basic}` || !/grant_type=client_credentials/.test(r.body)) {
        return {
          status: 401,
          body: { error: 'invalid_client', error_description: 'Client Authentication failed' },
        };
      }
      issued += 1;
      const token = `A21AA${randomBytes(24).toString('base64url')}`;
      tokens.add(token);
      return {
        status: 200,
        body: {
          scope: 'https://uri.paypal.com/services/payments/payment',
          access_token: token,
          token_type: 'Bearer',
          app_id: 'APP-80W284485P519543T',
          expires_in: 32400,
          nonce: `${new Date().toISOString()}${pid(8)}`,
        },
      };
    }
    const bearer = /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) {
      return {
        status: 401,
        body: { error: 'invalid_token', error_description: 'Token signature verification failed' },
      };
    }
    const body = r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {};
    if (r.method === 'POST' && r.path === '/v2/checkout/orders') {
      return once(r, () => {
        const pu = (body.purchase_units as { amount: Amount; custom_id?: string }[] | undefined)?.[0];
        const ctx = (body.payment_source as { paypal?: { experience_context?: Record<string, string> } })
          ?.paypal?.experience_context;
        if (body.intent !== 'CAPTURE' || !pu?.amount || !/^\d+(\.\d{1,2})?$/.test(pu.amount.value)) {
          return unprocessable('INVALID_PARAMETER_VALUE', 'The value of a field is invalid.');
        }
        if (!ctx?.return_url || !ctx.cancel_url)
          return unprocessable('MISSING_REQUIRED_PARAMETER', 'return_url');
        const o: FakeOrder = {
          id: pid(17),
          status: 'PAYER_ACTION_REQUIRED',
          request: body,
          amount: pu.amount,
          customId: pu.custom_id ?? null,
          returnUrl: ctx.return_url,
          cancelUrl: ctx.cancel_url,
          capture: null,
          createdAt: new Date(),
        };
        orders.set(o.id, o);
        return { status: 200, body: orderBody(o) };
      });
    }
    const om = /^\/v2\/checkout\/orders\/([\w-]+)(\/capture)?$/.exec(r.path);
    if (om) {
      const o = orders.get(om[1]!);
      if (!o) return notFound(om[1]!);
      if (r.method === 'GET' && !om[2]) return { status: 200, body: orderBody(o) };
      if (r.method === 'POST' && om[2]) {
        return once(r, () => {
          if (o.status === 'COMPLETED')
            return unprocessable('ORDER_ALREADY_CAPTURED', 'Order already captured.');
          if (o.status !== 'APPROVED')
            return unprocessable('ORDER_NOT_APPROVED', 'Payer has not yet approved the Order.');
          if (declineNext) {
            declineNext = false;
            return unprocessable('INSTRUMENT_DECLINED', 'The instrument presented was declined.');
          }
          doCapture(o);
          return { status: 201, body: orderBody(o) };
        });
      }
    }
    const rm = /^\/v2\/payments\/captures\/([\w-]+)\/refund$/.exec(r.path);
    if (r.method === 'POST' && rm) {
      return once(r, () => {
        const o = [...orders.values()].find((x) => x.capture?.id === rm[1]);
        if (!o?.capture) return notFound(rm[1]!);
        const amount = (body.amount as Amount | undefined) ?? o.capture.amount;
        if (sum([...o.capture.refunded, amount]) > sum([o.capture.amount])) {
          return unprocessable(
            'REFUND_AMOUNT_EXCEEDED',
            'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
          );
        }
        o.capture.refunded.push(amount);
        const rid = r.headers['paypal-request-id'];
        const refund: FakeRefund = {
          id: pid(17),
          captureId: o.capture.id,
          amount,
          requestId: typeof rid === 'string' ? rid : null,
          at: new Date(),
        };
        refunds.push(refund);
        return {
          status: 201,
          body: {
            id: refund.id,
            status: 'COMPLETED',
            amount,
            links: [
              { href: `${url}/v2/payments/refunds/${refund.id}`, rel: 'self', method: 'GET' },
              { href: `${url}/v2/payments/captures/${o.capture.id}`, rel: 'up', method: 'GET' },
            ],
          },
        };
      });
    }
    if (r.method === 'GET' && r.path.startsWith('/v1/reporting/transactions')) {
      const q = new URL(r.path, 'http://x').searchParams;
      const from = new Date(q.get('start_date') ?? 0);
      const to = new Date(q.get('end_date') ?? Date.now());
      const details: unknown[] = [];
      for (const o of orders.values()) {
        if (!o.capture || o.createdAt < from || o.createdAt > to) continue;
        details.push({
          transaction_info: {
            transaction_id: o.capture.id,
            transaction_event_code: 'T0006',
            transaction_initiation_date: o.createdAt.toISOString(),
            transaction_amount: o.capture.amount,
            fee_amount: { currency_code: o.capture.amount.currency_code, value: money(-feeOf(o.capture)) },
            transaction_status: 'S',
            custom_field: o.customId ?? undefined,
          },
        });
      }
      // A refund is its own transaction (T1107, negative) on its own date, pointing back at
      // the capture it refunds.
      for (const rf of refunds) {
        if (rf.at < from || rf.at > to) continue;
        const o = [...orders.values()].find((x) => x.capture?.id === rf.captureId);
        details.push({
          transaction_info: {
            transaction_id: rf.id,
            paypal_reference_id: rf.captureId,
            paypal_reference_id_type: 'TXN',
            transaction_event_code: 'T1107',
            transaction_initiation_date: rf.at.toISOString(),
            transaction_amount: { currency_code: rf.amount.currency_code, value: `-${rf.amount.value}` },
            transaction_status: 'S',
            custom_field: o?.customId ?? undefined,
          },
        });
      }
      for (const mv of disputeMoves) {
        if (mv.at < from || mv.at > to) continue;
        details.push({
          transaction_info: {
            transaction_id: mv.id,
            paypal_reference_id: mv.referenceId,
            paypal_reference_id_type: 'TXN',
            transaction_event_code: mv.eventCode,
            transaction_initiation_date: mv.at.toISOString(),
            transaction_amount: { currency_code: mv.currency, value: money(mv.amountMinor) },
            transaction_status: 'S',
          },
        });
      }
      return {
        status: 200,
        body: { transaction_details: details, total_items: details.length, total_pages: 1, page: 1 },
      };
    }
    if (r.method === 'POST' && r.path === '/v1/notifications/verify-webhook-signature') {
      const need = [
        'auth_algo',
        'cert_url',
        'transmission_id',
        'transmission_sig',
        'transmission_time',
        'webhook_id',
      ];
      if (need.some((k) => typeof body[k] !== 'string') || !body.webhook_event) {
        return {
          status: 400,
          body: {
            name: 'VALIDATION_ERROR',
            message: 'Invalid request - see details',
            details: [{ issue: 'MISSING_REQUIRED_PARAMETER' }],
          },
        };
      }
      const crc = crc32(Buffer.from(JSON.stringify(body.webhook_event)));
      const signed = `${body.transmission_id as string}|${body.transmission_time as string}|${body.webhook_id as string}|${crc}`;
      const ok =
        body.auth_algo === 'SHA256withRSA' &&
        createVerify('RSA-SHA256')
          .update(signed)
          .verify(publicKey, body.transmission_sig as string, 'base64');
      return { status: 200, body: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } };
    }
    return notFound(r.path);
  };

  const capturedOf = (orderId: string) => {
    const o = orders.get(orderId);
    if (!o?.capture) throw new Error(`order ${orderId} has no capture`);
    return o.capture;
  };
  const moveFor = (
    eventCode: FakeDisputeMove['eventCode'],
    referenceId: string,
    amountMinor: number,
    currency: string,
    at: Date,
  ) => {
    const mv: FakeDisputeMove = { id: pid(17), eventCode, referenceId, amountMinor, currency, at };
    disputeMoves.push(mv);
    return mv;
  };

  const server = await startFakeServer(route);
  url = server.url;

  return {
    ...server,
    orders,
    refunds,
    tokensIssued: () => issued,
    expireToken: () => tokens.clear(),
    approve(orderId) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId}`);
      if (o.status === 'PAYER_ACTION_REQUIRED') o.status = 'APPROVED';
      return o;
    },
    declineNextCapture: () => {
      declineNext = true;
    },
    captureNow(orderId) {
      const o = orders.get(orderId);
      if (!o) throw new Error(`no order ${orderId}`);
      return o.capture ?? doCapture(o);
    },
    refundOutside(orderId, value, at = new Date()) {
      const o = orders.get(orderId);
      if (!o?.capture) throw new Error(`order ${orderId} has no capture`);
      const amount = { currency_code: o.capture.amount.currency_code, value };
      o.capture.refunded.push(amount);
      const refund: FakeRefund = { id: pid(17), captureId: o.capture.id, amount, requestId: null, at };
      refunds.push(refund);
      return refund;
    },
    disputeMoves,
    holdForDispute(orderId, value, at = new Date()) {
      const c = capturedOf(orderId);
      return moveFor('T1110', c.id, -minorOf(value), c.amount.currency_code, at);
    },
    releaseHold(hold, at = new Date()) {
      return moveFor('T1111', hold.referenceId, -hold.amountMinor, hold.currency, at);
    },
    chargeback(orderId, value, opts = {}) {
      const c = capturedOf(orderId);
      const at = opts.at ?? new Date();
      const cb = moveFor('T1201', c.id, -minorOf(value), c.amount.currency_code, at);
      if (opts.fee) moveFor('T0106', cb.id, -opts.fee, cb.currency, at);
      return cb;
    },
    reverseChargeback(cb, at = new Date()) {
      return moveFor('T1202', cb.referenceId, -cb.amountMinor, cb.currency, at);
    },
    feeOf,
    captureResource(orderId) {
      const o = orders.get(orderId);
      if (!o?.capture) throw new Error(`order ${orderId} has no capture`);
      return {
        id: o.capture.id,
        status: o.capture.status,
        amount: o.capture.amount,
        final_capture: true,
        custom_id: o.customId ?? undefined,
        supplementary_data: { related_ids: { order_id: o.id } },
        create_time: new Date().toISOString(),
        links: [{ href: `${url}/v2/payments/captures/${o.capture.id}`, rel: 'self', method: 'GET' }],
      };
    },
    refundResource(rf) {
      const o = [...orders.values()].find((x) => x.capture?.id === rf.captureId);
      return {
        id: rf.id,
        status: 'COMPLETED',
        amount: rf.amount,
        custom_id: o?.customId ?? undefined,
        create_time: new Date().toISOString(),
        links: [
          { href: `${url}/v2/payments/refunds/${rf.id}`, rel: 'self', method: 'GET' },
          { href: `${url}/v2/payments/captures/${rf.captureId}`, rel: 'up', method: 'GET' },
        ],
      };
    },
    delivery(eventType, resource, opts = {}) {
      const event = {
        id: opts.eventId ?? `WH-${pid(17)}-${pid(17)}`,
        event_version: '1.0',
        create_time: new Date().toISOString(),
        resource_type: eventType.startsWith('PAYMENT.CAPTURE.REFUNDED') ? 'refund' : 'capture',
        resource_version: '2.0',
        event_type: eventType,
        summary: eventType,
        resource,
      };
      const raw = JSON.stringify(event);
      const transmissionId = randomBytes(16).toString('hex');
      const time = new Date().toISOString();
      const signed = `${transmissionId}|${time}|${opts.webhookId ?? creds.webhookId}|${crc32(Buffer.from(raw))}`;
      const sig = createSign('RSA-SHA256').update(signed).sign(privateKey, 'base64');
      return {
        rawBody: Buffer.from(raw),
        headers: {
          'content-type': 'application/json',
          'paypal-auth-algo': 'SHA256withRSA',
          'paypal-cert-url': `${url}/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77`,
          'paypal-transmission-id': transmissionId,
          'paypal-transmission-sig': opts.forge ? Buffer.from('forged').toString('base64') : sig,
          'paypal-transmission-time': time,
        },
      };
    },
  };
}
