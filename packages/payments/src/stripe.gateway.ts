// Stripe through its own package: a Checkout Session in payment mode per attempt (Kasi's
// attempt id is both `client_reference_id` and the idempotency key), webhooks checked with
// `constructEvent` over the raw body (300 s tolerance), status by retrieving the session,
// refunds by payment intent. `baseUrl` and `fetch` go to the client so tests use a local fake.
import Stripe from 'stripe';
import { currencyExponent, invalid, type Money } from '@kasi/domain';
import { gatewayDown, gatewayRefused } from './gateway-error.ts';
import type {
  Acknowledgement,
  GatewayDeps,
  IncomingWebhook,
  PaymentEvent,
  PaymentGateway,
  PaymentStatus,
  ProviderAmount,
  StartPayment,
  StartedPayment,
  WebhookVerdict,
} from './gateway.ts';
import { isLiveKey, type StripeConfig } from './stripe.config.ts';
import { stripeEvent } from './stripe.events.ts';

export const STRIPE_API_URL = 'https://api.stripe.com';
export const STRIPE_TOLERANCE_SECONDS = 300;

function clientFor(config: StripeConfig, deps: GatewayDeps): Stripe {
  const u = new URL(deps.baseUrl);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(config.secretKey, {
    host: u.hostname,
    port: u.port || (protocol === 'http' ? 80 : 443),
    protocol,
    maxNetworkRetries: 0,
    timeout: 30_000,
    ...(deps.fetch && { httpClient: Stripe.createFetchHttpClient(deps.fetch as typeof fetch) }),
  });
}

function asDomainError(e: unknown): unknown {
  if (e instanceof Stripe.errors.StripeConnectionError) return gatewayDown('Stripe', 'could not be reached');
  if (e instanceof Stripe.errors.StripeAuthenticationError)
    return gatewayRefused('Stripe', 'the secret key was refused');
  if (e instanceof Stripe.errors.StripeError)
    return gatewayRefused('Stripe', e.message, { code: e.code ?? null });
  return e;
}

const header = (h: IncomingWebhook['headers'], name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;
  private readonly config: StripeConfig;

  constructor(config: StripeConfig, deps: GatewayDeps) {
    this.config = config;
    this.stripe = clientFor(config, deps);
  }

  toProviderAmount(amount: Money): ProviderAmount {
    // Stripe counts in the currency's minor units as ISO 4217 gives them, as Kasi does (UGX is
    // zero-decimal in both), so the amount passes unchanged; a currency Stripe lacks is its refusal.
    currencyExponent(amount.currency);
    if (amount.amountMinor <= 0n) throw invalid('PAYMENT.AMOUNT_NOT_POSITIVE', 'A payment is more than zero');
    return { value: Number(amount.amountMinor), chargedMinor: amount.amountMinor };
  }

  async startPayment(req: StartPayment): Promise<StartedPayment> {
    if (!req.returnUrl || !req.cancelUrl) throw new Error('Checkout needs return and cancel URLs');
    try {
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: req.attemptId,
          metadata: { kasi_attempt: req.attemptId },
          success_url: req.returnUrl,
          cancel_url: req.cancelUrl,
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: req.amount.currency.toLowerCase(),
                unit_amount: this.toProviderAmount(req.amount).value,
                product_data: { name: req.description.slice(0, 250) },
              },
            },
          ],
        },
        { idempotencyKey: `kasi-attempt-${req.attemptId}` },
      );
      if (!session.url) throw gatewayRefused('Stripe', 'the session has no checkout URL');
      return { kind: 'redirect', providerRef: session.id, url: session.url };
    } catch (e) {
      throw asDomainError(e);
    }
  }

  verifyWebhook(hook: IncomingWebhook): WebhookVerdict {
    const signature = header(hook.headers, 'stripe-signature');
    if (!signature) return { ok: false, status: 400, reason: 'missing Stripe-Signature' };
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        hook.rawBody,
        signature,
        this.config.webhookSecret,
        STRIPE_TOLERANCE_SECONDS,
      );
    } catch {
      return { ok: false, status: 400, reason: 'bad or stale signature' };
    }
    if (event.livemode !== isLiveKey(this.config.secretKey)) {
      return { ok: false, status: 400, reason: 'event mode does not match the key (live/test)' };
    }
    return { ok: true, events: [stripeEvent(event)] };
  }

  normalise(rawBody: Buffer): PaymentEvent[] {
    return [stripeEvent(JSON.parse(rawBody.toString('utf8')) as Stripe.Event)];
  }

  async fetchStatus(sessionId: string): Promise<PaymentStatus> {
    try {
      const s = await this.stripe.checkout.sessions.retrieve(sessionId);
      const intent = typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null);
      const base = {
        resultCode: s.payment_status,
        receipt: intent,
        amountMinor: s.amount_total === null ? null : BigInt(s.amount_total),
      };
      if (s.payment_status === 'paid') return { ...base, state: 'succeeded', reason: null };
      if (s.status === 'expired')
        return { ...base, state: 'failed', reason: 'The checkout page expired before payment.' };
      return { ...base, state: 'pending', reason: null };
    } catch (e) {
      throw asDomainError(e);
    }
  }

  acknowledge(verdict: WebhookVerdict): Acknowledgement {
    return verdict.ok
      ? { status: 200, contentType: 'application/json', body: '{"received":true}' }
      : { status: verdict.status, contentType: 'text/plain; charset=utf-8', body: verdict.reason };
  }

  async testConnection(): Promise<void> {
    try {
      await this.stripe.balance.retrieve();
    } catch (e) {
      throw asDomainError(e);
    }
  }

  async refund(req: { providerRef: string; amountMinor: bigint; idempotencyKey: string }) {
    try {
      const refund = await this.stripe.refunds.create(
        { payment_intent: req.providerRef, amount: Number(req.amountMinor) },
        { idempotencyKey: req.idempotencyKey },
      );
      return { refundId: refund.id };
    } catch (e) {
      throw asDomainError(e);
    }
  }
  /**
   * Balance transactions created in [from, to), each as reconciliation reads it: money in
   * (`charge`, `payment`) with the payment intent of its charge — what Kasi keeps as the
   * payment's reference — and Stripe's fee on it; refunds (`refund`, `payment_refund`) with the
   * refund's id and the payment intent refunded; payouts; fees billed on their own
   * (`stripe_fee`); disputes — an `adjustment` whose `reporting_category` is `dispute` (the
   * chargeback withdrawn, negative, with the dispute fee as its fee) or `dispute_reversal` (a
   * dispute won, the money reinstated, positive) — with the dispute's id (dp_…, the source) and
   * the disputed payment intent; anything else as `other`. Amounts are Stripe's: negative when
   * money leaves.
   */
  async balanceTransactions(from: Date, to: Date): Promise<StripeBalanceTransaction[]> {
    try {
      const all = await this.stripe.balanceTransactions
        .list({
          created: { gte: Math.floor(from.getTime() / 1000), lt: Math.floor(to.getTime() / 1000) },
          limit: 100,
          expand: ['data.source'],
        })
        .autoPagingToArray({ limit: 10_000 });
      return all.map((b) => {
        const src = b.source;
        const obj = src && typeof src === 'object' ? (src as { id: string; payment_intent?: unknown }) : null;
        const pi = obj?.payment_intent;
        const intent =
          typeof pi === 'string' ? pi : pi && typeof pi === 'object' ? (pi as { id: string }).id : null;
        const kind =
          b.type === 'adjustment'
            ? (ADJUSTMENT_KIND[b.reporting_category] ?? 'other')
            : (BALANCE_KIND[b.type] ?? 'other');
        const sourceId = typeof src === 'string' ? src : (obj?.id ?? null);
        return {
          id: b.id,
          kind,
          paymentIntent: intent,
          chargeId: kind === 'charge' ? sourceId : null,
          refundId: kind === 'refund' ? sourceId : null,
          disputeId: kind === 'dispute' || kind === 'dispute_reversal' ? sourceId : null,
          amountMinor: BigInt(b.amount),
          feeMinor: BigInt(b.fee),
          netMinor: BigInt(b.net),
          currency: b.currency.toUpperCase(),
          at: new Date(b.created * 1000),
        };
      });
    } catch (e) {
      throw asDomainError(e);
    }
  }
}

export type StripeBalanceKind =
  'charge' | 'refund' | 'payout' | 'fee' | 'dispute' | 'dispute_reversal' | 'other';

const BALANCE_KIND: Record<string, StripeBalanceKind> = {
  charge: 'charge',
  payment: 'charge',
  refund: 'refund',
  payment_refund: 'refund',
  payout: 'payout',
  stripe_fee: 'fee',
};

/** `adjustment` balance transactions told apart by their reporting category. */
const ADJUSTMENT_KIND: Record<string, StripeBalanceKind> = {
  dispute: 'dispute',
  dispute_reversal: 'dispute_reversal',
};

/** One Stripe balance transaction, as reconciliation compares it (minor units, Stripe's signs). */
export interface StripeBalanceTransaction {
  id: string;
  kind: StripeBalanceKind;
  paymentIntent: string | null;
  chargeId: string | null;
  /** A refund's own id (re_…). */
  refundId: string | null;
  /** A dispute's id (dp_…), on its withdrawal and on its reversal. */
  disputeId: string | null;
  amountMinor: bigint;
  /** What Stripe kept of this transaction (its fee on a charge). */
  feeMinor: bigint;
  netMinor: bigint;
  currency: string;
  at: Date;
}
