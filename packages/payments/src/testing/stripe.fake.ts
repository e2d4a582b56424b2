// A local Stripe speaking its HTTP shapes for what Kasi calls: Checkout Sessions (create with
// idempotency keys, retrieve), refunds, balance and balance transactions (a `charge` one per
// paid session with its fee, a `refund` one per refund — negative, its source the refund —
// and `payout` / `stripe_fee` ones a test adds; a dispute withdraws the disputed amount with
// Stripe's dispute fee — an `adjustment` of reporting category `dispute`, its source the
// dispute (dp_…) — and winning it reinstates the amount — an `adjustment` of category
// `dispute_reversal`; listed by `created` range with `expand[]=data.source` and cursor
// paging); and
// signed webhook deliveries built with the `stripe` package's own `generateTestHeaderString`.
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { startFakeServer, type FakeServer, type RecordedRequest } from './fake-server.ts';

export const STRIPE_TEST_KEY = 'sk_test_kasi123';
export const STRIPE_TEST_WEBHOOK_SECRET = 'whsec_kasitest123';

export interface FakeSession {
  id: string;
  object: 'checkout.session';
  client_reference_id: string | null;
  amount_total: number;
  currency: string;
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  status: 'open' | 'complete' | 'expired';
  payment_intent: string | null;
  url: string;
  mode: 'payment';
  livemode: boolean;
  metadata: Record<string, string>;
}

export interface StripeFake extends FakeServer {
  sessions: Map<string, FakeSession>;
  /** Marks a session paid (as Stripe does when the buyer completes Checkout), at `at` (default now). */
  pay(sessionId: string, at?: Date): FakeSession;
  /** Balance transactions, oldest first (one `charge` per paid session). */
  balanceTransactions: FakeBalanceTransaction[];
  /** The charge behind a paid session, with what was refunded on it so far. */
  charge(sessionId: string): FakeCharge;
  /** A refund made in Stripe's dashboard (not through Kasi); returns its id (re_…). */
  refundOutside(sessionId: string, amount: number, at?: Date): string;
  /** A payout of `amount` to the operator's bank (a negative `payout` balance transaction). */
  payout(amount: number, currency: string, at?: Date): string;
  /** A Stripe fee billed on its own (a negative `stripe_fee` balance transaction). */
  stripeFee(amount: number, currency: string, at?: Date): void;
  /**
   * A dispute opened on a paid session's charge: the disputed amount and the dispute fee
   * (default 1500) leave the balance at `at` (default now).
   */
  dispute(sessionId: string, amount?: number, opts?: { at?: Date; fee?: number }): FakeDispute;
  /** The dispute is won: `status` becomes `won` and the amount comes back at `at` (default now). */
  winDispute(disputeId: string, at?: Date): FakeDispute;
  /** A webhook delivery for an event on a session, charge or dispute, signed (or with a chosen timestamp/secret). */
  delivery(
    type: string,
    session: FakeSession | FakeCharge | FakeDispute | Record<string, unknown>,
    opts?: { eventId?: string; timestamp?: number; secret?: string },
  ): { rawBody: Buffer; headers: Record<string, string> };
}

export interface FakeBalanceTransaction {
  id: string;
  object: 'balance_transaction';
  amount: number;
  currency: string;
  created: number;
  type: 'charge' | 'refund' | 'payout' | 'stripe_fee' | 'adjustment';
  reporting_category: 'charge' | 'refund' | 'payout' | 'fee' | 'dispute' | 'dispute_reversal';
  status: 'available' | 'pending';
  fee: number;
  net: number;
  /** The charge, refund or payout id (the charge or refund object when expanded). */
  source: string;
}

export interface FakeDispute {
  id: string;
  object: 'dispute';
  amount: number;
  charge: string;
  payment_intent: string;
  currency: string;
  reason: string;
  status: 'needs_response' | 'under_review' | 'won' | 'lost';
  /** The withdrawal and, once won, the reinstatement (Stripe lists zero, one or two). */
  balance_transactions: FakeBalanceTransaction[];
  livemode: boolean;
}

export interface FakeCharge {
  id: string;
  object: 'charge';
  payment_intent: string;
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  currency: string;
  livemode: boolean;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const unauthorized = {
  status: 401,
  body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } },
};

function createSession(r: RecordedRequest, form: URLSearchParams): FakeSession {
  const sid = id('cs_test');
  return {
    id: sid,
    object: 'checkout.session',
    client_reference_id: form.get('client_reference_id'),
    amount_total: Number(form.get('line_items[0][price_data][unit_amount]') ?? 0),
    currency: form.get('line_items[0][price_data][currency]') ?? 'usd',
    payment_status: 'unpaid',
    status: 'open',
    payment_intent: null,
    url: `https://checkout.stripe.test/c/pay/${sid}`,
    mode: 'payment',
    livemode: false,
    metadata: { kasi_attempt: form.get('metadata[kasi_attempt]') ?? '' },
  };
}

export async function startStripeFake(
  key = STRIPE_TEST_KEY,
  secret = STRIPE_TEST_WEBHOOK_SECRET,
): Promise<StripeFake> {
  const sessions = new Map<string, FakeSession>();
  /** Amount refunded per payment intent, and each intent's charge id. */
  const refundedByIntent = new Map<string, number>();
  const chargeIds = new Map<string, string>();
  const byIdempotencyKey = new Map<string, FakeSession>();
  const refundsByKey = new Map<string, Record<string, unknown>>();
  const refundObjects = new Map<string, Record<string, unknown>>();
  const balanceTransactions: FakeBalanceTransaction[] = [];
  const disputes = new Map<string, FakeDispute>();
  const moved = (
    type: Exclude<FakeBalanceTransaction['type'], 'adjustment'> | 'dispute' | 'dispute_reversal',
    amount: number,
    currency: string,
    source: string,
    at = new Date(),
    fee = 0,
  ) => {
    const adjustment = type === 'dispute' || type === 'dispute_reversal';
    const txn: FakeBalanceTransaction = {
      id: id('txn'),
      object: 'balance_transaction',
      amount,
      currency,
      created: Math.floor(at.getTime() / 1000),
      type: adjustment ? 'adjustment' : type,
      reporting_category: type === 'stripe_fee' ? 'fee' : type,
      status: type === 'charge' ? 'pending' : 'available',
      fee,
      net: amount - fee,
      source,
    };
    balanceTransactions.push(txn);
    return txn;
  };
  /** A refund: the money leaves the balance (a negative `refund` balance transaction). */
  const refundMade = (pi: string, amount: number, currency: string, at?: Date) => {
    refundedByIntent.set(pi, (refundedByIntent.get(pi) ?? 0) + amount);
    const refund = {
      id: id('re'),
      object: 'refund',
      amount,
      currency,
      charge: chargeIds.get(pi) ?? null,
      payment_intent: pi,
      status: 'succeeded',
    };
    refundObjects.set(refund.id, refund);
    moved('refund', -amount, currency, refund.id, at);
    return refund;
  };
  const server = await startFakeServer((r) => {
    if (r.headers.authorization !== `Bearer ${key}`) return unauthorized;
    const form = new URLSearchParams(r.body);
    if (r.method === 'POST' && r.path === '/v1/checkout/sessions') {
      const ik = r.headers['idempotency-key'];
      const known = typeof ik === 'string' ? byIdempotencyKey.get(ik) : undefined;
      if (known) return { status: 200, body: known };
      const s = createSession(r, form);
      sessions.set(s.id, s);
      if (typeof ik === 'string') byIdempotencyKey.set(ik, s);
      return { status: 200, body: s };
    }
    const m = /^\/v1\/checkout\/sessions\/([\w]+)/.exec(r.path);
    if (r.method === 'GET' && m) {
      const s = sessions.get(m[1]!);
      return s
        ? { status: 200, body: s }
        : {
            status: 404,
            body: { error: { type: 'invalid_request_error', message: 'No such checkout.session' } },
          };
    }
    if (r.method === 'POST' && r.path === '/v1/refunds') {
      const ik = r.headers['idempotency-key'];
      const key = typeof ik === 'string' ? `refund:${ik}` : null;
      const seen = key ? refundsByKey.get(key) : undefined;
      if (seen) return { status: 200, body: seen };
      const pi = form.get('payment_intent') ?? '';
      const session = [...sessions.values()].find((s) => s.payment_intent === pi);
      const amount = Number(form.get('amount') ?? session?.amount_total ?? 0);
      if (!session || (refundedByIntent.get(pi) ?? 0) + amount > session.amount_total) {
        return {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: session ? 'charge_already_refunded' : 'resource_missing',
              message: session
                ? 'Refund amount is greater than unrefunded amount on charge'
                : 'No such payment_intent',
            },
          },
        };
      }
      const refund = refundMade(pi, amount, session.currency);
      if (key) refundsByKey.set(key, refund);
      return { status: 200, body: refund };
    }
    if (r.method === 'GET' && r.path.startsWith('/v1/balance_transactions')) {
      const q = new URL(r.path, 'http://x').searchParams;
      const num = (k: string) => (q.has(k) ? Number(q.get(k)) : null);
      const gte = num('created[gte]');
      const lt = num('created[lt]');
      const limit = Math.min(num('limit') ?? 10, 100);
      const expand = [...q.entries()].some(([k, v]) => k.startsWith('expand') && v === 'data.source');
      // Stripe lists newest first; `starting_after` continues after that id.
      let rows = balanceTransactions
        .filter((b) => (gte === null || b.created >= gte) && (lt === null || b.created < lt))
        .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
      const after = q.get('starting_after');
      if (after) rows = rows.slice(rows.findIndex((b) => b.id === after) + 1);
      const page = rows.slice(0, limit);
      return {
        status: 200,
        body: {
          object: 'list',
          url: '/v1/balance_transactions',
          has_more: rows.length > limit,
          data: page.map((b) => {
            if (!expand) return b;
            if (b.type === 'refund') return { ...b, source: refundObjects.get(b.source) ?? b.source };
            if (b.type === 'adjustment') return { ...b, source: disputes.get(b.source) ?? b.source };
            const s = [...sessions.values()].find(
              (x) => x.payment_intent && chargeIds.get(x.payment_intent) === b.source,
            );
            return { ...b, source: s ? charge(s.id) : b.source };
          }),
        },
      };
    }
    if (r.method === 'GET' && r.path.startsWith('/v1/balance')) {
      return { status: 200, body: { object: 'balance', available: [], pending: [], livemode: false } };
    }
    return {
      status: 404,
      body: { error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } },
    };
  });
  const charge = (sessionId: string): FakeCharge => {
    const s = sessions.get(sessionId);
    if (!s?.payment_intent) throw new Error(`session ${sessionId} is not paid`);
    const pi = s.payment_intent;
    if (!chargeIds.has(pi)) chargeIds.set(pi, id('ch'));
    const refunded = refundedByIntent.get(pi) ?? 0;
    return {
      id: chargeIds.get(pi)!,
      object: 'charge',
      payment_intent: pi,
      amount: s.amount_total,
      amount_refunded: refunded,
      refunded: refunded >= s.amount_total,
      currency: s.currency,
      livemode: false,
    };
  };

  const stripe = new Stripe(key);
  return {
    ...server,
    sessions,
    balanceTransactions,
    pay(sessionId, at = new Date()) {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      Object.assign(s, { payment_status: 'paid', status: 'complete', payment_intent: id('pi') });
      const fee = Math.round(s.amount_total * 0.029) + 30;
      moved('charge', s.amount_total, s.currency, charge(s.id).id, at, fee);
      return s;
    },
    charge,
    refundOutside(sessionId, amount, at) {
      const s = sessions.get(sessionId);
      if (!s?.payment_intent) throw new Error(`session ${sessionId} is not paid`);
      return refundMade(s.payment_intent, amount, s.currency, at).id;
    },
    payout(amount, currency, at) {
      const po = id('po');
      moved('payout', -amount, currency, po, at);
      return po;
    },
    stripeFee(amount, currency, at) {
      moved('stripe_fee', -amount, currency, id('fee'), at);
    },
    dispute(sessionId, amount, opts = {}) {
      const c = charge(sessionId);
      const d: FakeDispute = {
        id: id('dp'),
        object: 'dispute',
        amount: amount ?? c.amount,
        charge: c.id,
        payment_intent: c.payment_intent,
        currency: c.currency,
        reason: 'fraudulent',
        status: 'needs_response',
        balance_transactions: [],
        livemode: false,
      };
      disputes.set(d.id, d);
      d.balance_transactions.push(moved('dispute', -d.amount, d.currency, d.id, opts.at, opts.fee ?? 1500));
      return d;
    },
    winDispute(disputeId, at) {
      const d = disputes.get(disputeId);
      if (!d) throw new Error(`no dispute ${disputeId}`);
      d.status = 'won';
      d.balance_transactions.push(moved('dispute_reversal', d.amount, d.currency, d.id, at));
      return d;
    },
    delivery(type, session, opts = {}) {
      const payload = JSON.stringify({
        id: opts.eventId ?? id('evt'),
        object: 'event',
        type,
        livemode: false,
        created: Math.floor(Date.now() / 1000),
        api_version: '2025-01-01',
        data: { object: session },
      });
      const header = stripe.webhooks.generateTestHeaderString({
        payload,
        secret: opts.secret ?? secret,
        ...(opts.timestamp !== undefined && { timestamp: opts.timestamp }),
      });
      return {
        rawBody: Buffer.from(payload),
        headers: { 'stripe-signature': header, 'content-type': 'application/json' },
      };
    },
  };
}
