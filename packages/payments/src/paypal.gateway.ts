// PayPal with plain fetch (ADR 0018, 0021): Orders v2 — an order per attempt created when the
// buyer presses the button (Kasi's attempt id is `custom_id` and the PayPal-Request-Id), the
// buyer approves on PayPal, and Kasi captures when the buyer returns (or reconciliation finds
// the order approved); webhooks are verified by PayPal's own API
// (`/v1/notifications/verify-webhook-signature`), so verification is the one async step
// behind the interface; refunds by capture id with an idempotency key.
import { currencyExponent, invalid, type Money } from '@kasi/domain';
import { gatewayRefused } from './gateway-error.ts';
import type {
  Acknowledgement,
  GatewayDeps,
  IncomingWebhook,
  PaymentEvent,
  PaymentGateway,
  PaymentStatus,
  ProviderAmount,
  RefundRequest,
  StartPayment,
  StartedPayment,
  WebhookVerdict,
} from './gateway.ts';
import { PaypalApiError, PaypalClient, paypalFailure } from './paypal.client.ts';
import { PAYPAL_CURRENCIES, PAYPAL_WHOLE_UNITS, type PaypalConfig } from './paypal.config.ts';
import {
  minorToPaypalValue,
  paypalEvent,
  paypalValueToMinor,
  type PaypalAmount,
  type PaypalWebhookEvent,
} from './paypal.events.ts';

export const PAYPAL_SANDBOX_URL = 'https://api-m.sandbox.paypal.com';
export const PAYPAL_LIVE_URL = 'https://api-m.paypal.com';

interface PaypalCapture {
  id: string;
  status: string;
  amount?: PaypalAmount;
  custom_id?: string;
  status_details?: { reason?: string };
}

export interface PaypalOrder {
  id: string;
  status: 'CREATED' | 'SAVED' | 'APPROVED' | 'VOIDED' | 'COMPLETED' | 'PAYER_ACTION_REQUIRED';
  links?: { href: string; rel: string; method?: string }[];
  purchase_units?: {
    custom_id?: string;
    amount?: PaypalAmount;
    payments?: { captures?: PaypalCapture[] };
  }[];
}

/** PayPal's transmission headers, all needed by verify-webhook-signature. */
const TRANSMISSION_HEADERS = {
  auth_algo: 'paypal-auth-algo',
  cert_url: 'paypal-cert-url',
  transmission_id: 'paypal-transmission-id',
  transmission_sig: 'paypal-transmission-sig',
  transmission_time: 'paypal-transmission-time',
} as const;

const header = (h: IncomingWebhook['headers'], name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

function parseEvent(rawBody: Buffer): PaypalWebhookEvent | null {
  try {
    const e = JSON.parse(rawBody.toString('utf8')) as PaypalWebhookEvent;
    return typeof e?.id === 'string' &&
      typeof e.event_type === 'string' &&
      e.resource &&
      typeof e.resource === 'object'
      ? e
      : null;
  } catch {
    return null;
  }
}

function captureStatus(c: PaypalCapture | undefined): PaymentStatus | null {
  if (!c) return null;
  const amountMinor = c.amount ? paypalValueToMinor(c.amount) : null;
  if (c.status === 'COMPLETED')
    return { state: 'succeeded', resultCode: c.status, reason: null, receipt: c.id, amountMinor };
  if (c.status === 'DECLINED' || c.status === 'FAILED')
    return {
      state: 'failed',
      resultCode: c.status,
      reason: 'PayPal declined the payment. Try again or choose another method.',
      receipt: c.id,
      amountMinor,
    };
  return { state: 'pending', resultCode: c.status, reason: null, receipt: c.id, amountMinor };
}

export class PaypalGateway implements PaymentGateway {
  readonly name = 'paypal' as const;
  private readonly client: PaypalClient;
  private readonly config: PaypalConfig;

  constructor(config: PaypalConfig, deps: GatewayDeps) {
    this.config = config;
    this.client = new PaypalClient({
      baseUrl: deps.baseUrl,
      fetch: deps.fetch ?? fetch,
      now: deps.now ?? (() => new Date()),
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    });
  }

  /** PayPal takes 24 currencies (not KES); HUF and TWD only in whole units, rounded up and recorded. */
  toProviderAmount(amount: Money): ProviderAmount {
    if (!PAYPAL_CURRENCIES.has(amount.currency)) {
      throw invalid('PAYMENT.WRONG_CURRENCY', `PayPal does not take ${amount.currency}`);
    }
    if (amount.amountMinor <= 0n) throw invalid('PAYMENT.AMOUNT_NOT_POSITIVE', 'A payment is more than zero');
    const exp = currencyExponent(amount.currency);
    let charged = amount.amountMinor;
    if (PAYPAL_WHOLE_UNITS.has(amount.currency) && exp > 0) {
      const unit = 10n ** BigInt(exp);
      charged = ((amount.amountMinor + unit - 1n) / unit) * unit;
    }
    return { value: Number(charged), chargedMinor: charged };
  }

  async startPayment(req: StartPayment): Promise<StartedPayment> {
    if (!req.returnUrl || !req.cancelUrl) throw new Error('PayPal needs return and cancel URLs');
    const charged = this.toProviderAmount(req.amount);
    try {
      const order = await this.client.call<PaypalOrder>(
        'POST',
        '/v2/checkout/orders',
        {
          intent: 'CAPTURE',
          purchase_units: [
            {
              reference_id: req.attemptId,
              custom_id: req.attemptId,
              description: req.description.slice(0, 127),
              soft_descriptor: req.accountReference.replace(/[^\w -]/g, '').slice(0, 22) || undefined,
              amount: {
                currency_code: req.amount.currency,
                value: minorToPaypalValue(charged.chargedMinor, req.amount.currency),
              },
            },
          ],
          payment_source: {
            paypal: {
              experience_context: {
                user_action: 'PAY_NOW',
                shipping_preference: 'NO_SHIPPING',
                return_url: req.returnUrl,
                cancel_url: req.cancelUrl,
                ...(this.config.brandName && { brand_name: this.config.brandName }),
              },
            },
          },
        },
        `kasi-attempt-${req.attemptId}`,
      );
      const approve = order.links?.find((l) => l.rel === 'payer-action' || l.rel === 'approve');
      if (!approve) throw gatewayRefused('PayPal', 'the order has no approval link');
      return { kind: 'redirect', providerRef: order.id, url: approve.href };
    } catch (e) {
      throw paypalFailure(e);
    }
  }

  /**
   * Asks PayPal to check a delivery's transmission signature (PayPal's certificate chain is
   * PayPal's to check: Kasi sends the headers, its webhook id and the event as received).
   * Missing headers or malformed JSON are refused before any call; nothing is stored unless
   * PayPal says SUCCESS.
   */
  async verifyWebhook(hook: IncomingWebhook): Promise<WebhookVerdict> {
    const event = parseEvent(hook.rawBody);
    if (!event) return { ok: false, status: 400, reason: 'malformed JSON or not a PayPal event' };
    const fields: Record<string, string> = {};
    for (const [field, name] of Object.entries(TRANSMISSION_HEADERS)) {
      const v = header(hook.headers, name);
      if (!v) return { ok: false, status: 400, reason: `missing ${name}` };
      fields[field] = v;
    }
    try {
      const res = await this.client.call<{ verification_status?: string }>(
        'POST',
        '/v1/notifications/verify-webhook-signature',
        { ...fields, webhook_id: this.config.webhookId, webhook_event: event },
      );
      if (res.verification_status !== 'SUCCESS') {
        return { ok: false, status: 400, reason: 'PayPal did not verify the signature' };
      }
    } catch (e) {
      // A malformed request is the delivery's fault; our credentials or PayPal being down are
      // not: those throw (500), so PayPal delivers again later.
      if (e instanceof PaypalApiError && e.httpStatus !== 401) {
        return { ok: false, status: 400, reason: 'PayPal refused verification' };
      }
      throw paypalFailure(e);
    }
    return { ok: true, events: [paypalEvent(event)] };
  }

  normalise(rawBody: Buffer): PaymentEvent[] {
    const e = parseEvent(rawBody);
    return e ? [paypalEvent(e)] : [];
  }

  /**
   * Where an order stands. An APPROVED order is captured here (approval is the buyer's consent;
   * the capture moves the money) with an idempotency key, so the return page, reconciliation
   * and a retry all capture it once.
   */
  async fetchStatus(orderId: string): Promise<PaymentStatus> {
    try {
      let order = await this.client.call<PaypalOrder>(
        'GET',
        `/v2/checkout/orders/${encodeURIComponent(orderId)}`,
      );
      if (order.status === 'APPROVED') order = await this.capture(orderId);
      const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
      const fromCapture = captureStatus(capture);
      if (fromCapture) return fromCapture;
      if (order.status === 'VOIDED')
        return {
          state: 'failed',
          resultCode: order.status,
          reason: 'The PayPal order was cancelled.',
          receipt: null,
          amountMinor: null,
        };
      return { state: 'pending', resultCode: order.status, reason: null, receipt: null, amountMinor: null };
    } catch (e) {
      throw paypalFailure(e);
    }
  }

  private async capture(orderId: string): Promise<PaypalOrder> {
    try {
      return await this.client.call<PaypalOrder>(
        'POST',
        `/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`,
        undefined,
        `kasi-capture-${orderId}`,
      );
    } catch (e) {
      // Captured meanwhile (the webhook's job, another tab): read it again.
      if (e instanceof PaypalApiError && e.issue === 'ORDER_ALREADY_CAPTURED') {
        return this.client.call<PaypalOrder>('GET', `/v2/checkout/orders/${encodeURIComponent(orderId)}`);
      }
      if (e instanceof PaypalApiError && e.issue === 'INSTRUMENT_DECLINED') {
        return {
          id: orderId,
          status: 'APPROVED',
          purchase_units: [{ payments: { captures: [{ id: '', status: 'DECLINED' }] } }],
        };
      }
      throw e;
    }
  }

  acknowledge(verdict: WebhookVerdict): Acknowledgement {
    return verdict.ok
      ? { status: 200, contentType: 'application/json', body: '{"received":true}' }
      : { status: verdict.status, contentType: 'text/plain; charset=utf-8', body: verdict.reason };
  }

  async testConnection(): Promise<void> {
    await this.client.accessToken();
  }

  /** Refunds part or all of a capture; PayPal-Request-Id makes a retried refund the same refund. */
  async refund(req: RefundRequest): Promise<{ refundId: string }> {
    try {
      const r = await this.client.call<{ id: string; status: string }>(
        'POST',
        `/v2/payments/captures/${encodeURIComponent(req.providerRef)}/refund`,
        { amount: { currency_code: req.currency, value: minorToPaypalValue(req.amountMinor, req.currency) } },
        req.idempotencyKey,
      );
      if (r.status === 'FAILED' || r.status === 'CANCELLED') {
        throw gatewayRefused('PayPal', `the refund ${r.status.toLowerCase()}`);
      }
      return { refundId: r.id };
    } catch (e) {
      throw paypalFailure(e);
    }
  }

  /** Transaction search (reporting API) for one UTC day, for the reconciliation page. */
  async transactions(from: Date, to: Date): Promise<PaypalTransaction[]> {
    const out: PaypalTransaction[] = [];
    let page = 1;
    try {
      for (;;) {
        const q = new URLSearchParams({
          start_date: from.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          end_date: to.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          fields: 'transaction_info',
          page_size: '500',
          page: String(page),
        });
        const res = await this.client.call<{
          transaction_details?: { transaction_info: PaypalTransactionInfo }[];
          total_pages?: number;
        }>('GET', `/v1/reporting/transactions?${q}`);
        for (const d of res.transaction_details ?? []) {
          const t = d.transaction_info;
          out.push({
            id: t.transaction_id,
            eventCode: t.transaction_event_code,
            status: t.transaction_status,
            amountMinor:
              paypalValueToMinor({
                currency_code: t.transaction_amount.currency_code,
                value: t.transaction_amount.value.replace(/^-/, ''),
              }) * (t.transaction_amount.value.startsWith('-') ? -1n : 1n),
            currency: t.transaction_amount.currency_code,
            // PayPal gives its fee as a negative amount on the transaction it was taken from.
            feeMinor: t.fee_amount
              ? paypalValueToMinor({
                  currency_code: t.fee_amount.currency_code,
                  value: t.fee_amount.value.replace(/^-/, ''),
                })
              : 0n,
            referenceId: t.paypal_reference_id ?? null,
            customId: t.custom_field ?? null,
            at: t.transaction_initiation_date,
          });
        }
        if (page >= (res.total_pages ?? 1)) break;
        page++;
      }
      return out;
    } catch (e) {
      throw paypalFailure(e);
    }
  }
}

interface PaypalTransactionInfo {
  transaction_id: string;
  transaction_event_code: string;
  transaction_status: string;
  transaction_amount: PaypalAmount;
  fee_amount?: PaypalAmount;
  /** A refund's: the capture it refunds (`paypal_reference_id_type` TXN). */
  paypal_reference_id?: string;
  custom_field?: string;
  transaction_initiation_date: string;
}

export interface PaypalTransaction {
  id: string;
  eventCode: string;
  status: string;
  /** Signed as PayPal gives it: a refund (T11xx) is negative. */
  amountMinor: bigint;
  currency: string;
  /** PayPal's fee on this transaction, as a positive amount (0 when none). */
  feeMinor: bigint;
  /** For a refund: the id of the capture it refunds. */
  referenceId: string | null;
  customId: string | null;
  at: string;
}
