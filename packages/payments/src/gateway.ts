// The one interface every payment provider sits behind (ADR 0018). An adapter knows its
// provider's HTTP shapes and nothing of Kasi's database: the server stores attempts, keeps the
// inbox and applies payments; the adapter starts a payment, checks an incoming webhook (pure:
// no I/O), turns it into normalised events, asks for a status when a callback is lost, and
// refunds where the provider can. Every adapter takes `baseUrl` and `fetch` so tests point it
// at a local fake speaking the provider's real shapes.
import type { Money } from '@kasi/domain';

export type GatewayName = 'mpesa' | 'stripe' | 'paypal';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface GatewayDeps {
  baseUrl: string;
  fetch?: FetchLike;
  /** Current time (tests move it to expire tokens). */
  now?: () => Date;
}

/** What the provider is asked to charge: an amount it can take and what that is in Kasi's units. */
export interface ProviderAmount {
  /** In the provider's units (M-Pesa: whole shillings; Stripe: its minor units). */
  value: number;
  /** The same amount back in Kasi's minor units — what the attempt records as charged. */
  chargedMinor: bigint;
}

export interface StartPayment {
  /** Kasi's own attempt id: the reference and idempotency key at the provider. */
  attemptId: string;
  amount: Money;
  /** What is paid for, shown to the buyer (trimmed to the provider's limits). */
  description: string;
  /** A short account reference (M-Pesa AccountReference, ≤ 12 characters). */
  accountReference: string;
  /** M-Pesa: the phone to push to (2547XXXXXXXX). */
  phone?: string;
  /** Where the provider sends its callback (M-Pesa) or the buyer comes back to (Stripe). */
  callbackUrl?: string;
  returnUrl?: string;
  cancelUrl?: string;
}

export type StartedPayment =
  | { kind: 'redirect'; providerRef: string; url: string }
  | { kind: 'push_sent'; providerRef: string; customerMessage: string };

export interface IncomingWebhook {
  rawBody: Buffer;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type PaymentEventType =
  'succeeded' | 'failed' | 'pending' | 'refunded' | 'disputed' | 'direct_payment' | 'ignored';

/** One provider event, normalised. Amounts here are what the provider says, for reconciliation only. */
export interface PaymentEvent {
  /** Unique per provider (and account): the inbox key. */
  eventId: string;
  type: PaymentEventType;
  /** The provider's id of the payment (CheckoutRequestID, Checkout Session id, TransID). */
  providerRef: string;
  /** Kasi's attempt id where the provider echoes it (Stripe does, M-Pesa does not). */
  attemptId: string | null;
  amountMinor: bigint | null;
  currency: string | null;
  /** The provider's receipt (M-Pesa receipt number, Stripe payment intent). */
  receipt: string | null;
  /** Provider result code and the exact human reason for a failure. */
  resultCode: string | null;
  reason: string | null;
  /** C2B: what the customer typed as the account. */
  accountReference?: string | null;
}

export type WebhookVerdict =
  { ok: true; events: PaymentEvent[] } | { ok: false; status: 400 | 403; reason: string };

export type PaymentState = 'pending' | 'succeeded' | 'failed';

export interface PaymentStatus {
  state: PaymentState;
  resultCode: string | null;
  reason: string | null;
  receipt: string | null;
  amountMinor: bigint | null;
}

export interface Acknowledgement {
  status: number;
  contentType: string;
  body: string;
}

export interface RefundRequest {
  providerRef: string;
  amountMinor: bigint;
  currency: string;
  idempotencyKey: string;
}

export interface PaymentGateway {
  readonly name: GatewayName;
  toProviderAmount(amount: Money): ProviderAmount;
  startPayment(req: StartPayment): Promise<StartedPayment>;
  /**
   * Checks authenticity and shape of a webhook and normalises it. Never touches a database.
   * Pure for Stripe and M-Pesa; PayPal's is a call to PayPal's verification API (ADR 0021).
   */
  verifyWebhook(hook: IncomingWebhook): WebhookVerdict | Promise<WebhookVerdict>;
  /** Normalises a body already verified and stored (the inbox row), without checking it again. */
  normalise(rawBody: Buffer): PaymentEvent[];
  /** Asks the provider where a payment stands (a lost or untrusted callback). */
  fetchStatus(providerRef: string): Promise<PaymentStatus>;
  /** What the provider expects back once the event is safely stored. */
  acknowledge(verdict: WebhookVerdict): Acknowledgement;
  /** Proves the credentials work (the console's "test connection"). */
  testConnection(): Promise<void>;
  refund?(req: RefundRequest): Promise<{ refundId: string }>;
}
