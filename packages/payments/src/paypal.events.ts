// PayPal webhook events Kasi acts on, normalised. A capture event names the order (Kasi's
// provider ref) in `supplementary_data.related_ids.order_id` and echoes Kasi's attempt id in
// `custom_id`; a refund event names its capture in the `up` link.
import { currencyExponent } from '@kasi/domain';
import type { PaymentEvent } from './gateway.ts';
import { PAYPAL_WHOLE_UNITS } from './paypal.config.ts';

export interface PaypalAmount {
  currency_code: string;
  value: string;
}

export interface PaypalWebhookEvent {
  id: string;
  event_type: string;
  resource_type?: string;
  create_time?: string;
  resource: {
    id: string;
    status?: string;
    amount?: PaypalAmount;
    custom_id?: string;
    invoice_id?: string;
    status_details?: { reason?: string };
    supplementary_data?: { related_ids?: { order_id?: string; capture_id?: string } };
    links?: { href: string; rel: string; method?: string }[];
  };
}

/** PayPal's decimal string in Kasi's minor units ("12.50" USD → 1250n; "1500" HUF → 150000n). */
export function paypalValueToMinor(a: PaypalAmount): bigint {
  const exp = currencyExponent(a.currency_code);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(a.value);
  if (!m) throw new Error(`PayPal amount "${a.value}" is not a decimal`);
  const frac = (m[2] ?? '').padEnd(exp, '0').slice(0, exp);
  return BigInt((m[1] ?? '0') + frac);
}

/** Kasi's minor units as PayPal's decimal string; whole-unit currencies carry no decimals. */
export function minorToPaypalValue(amountMinor: bigint, currency: string): string {
  const exp = currencyExponent(currency);
  const digits = amountMinor.toString().padStart(exp + 1, '0');
  if (exp === 0) return digits;
  const whole = digits.slice(0, -exp);
  if (PAYPAL_WHOLE_UNITS.has(currency)) return whole;
  return `${whole}.${digits.slice(-exp)}`;
}

const upCapture = (links: PaypalWebhookEvent['resource']['links']) => {
  const up = links?.find((l) => l.rel === 'up')?.href ?? '';
  return /\/captures\/([\w-]+)/.exec(up)?.[1] ?? null;
};

const DENIED_REASON = 'PayPal declined the payment. Try again or choose another method.';

export function paypalEvent(e: PaypalWebhookEvent): PaymentEvent {
  const r = e.resource;
  const amountMinor = r.amount ? paypalValueToMinor(r.amount) : null;
  const currency = r.amount?.currency_code ?? null;
  const base = { eventId: e.id, amountMinor, currency, resultCode: e.event_type };
  switch (e.event_type) {
    case 'PAYMENT.CAPTURE.COMPLETED':
    case 'PAYMENT.CAPTURE.DENIED':
    case 'PAYMENT.CAPTURE.DECLINED':
    case 'PAYMENT.CAPTURE.PENDING': {
      const type =
        e.event_type === 'PAYMENT.CAPTURE.COMPLETED'
          ? 'succeeded'
          : e.event_type === 'PAYMENT.CAPTURE.PENDING'
            ? 'pending'
            : 'failed';
      return {
        ...base,
        type,
        providerRef: r.supplementary_data?.related_ids?.order_id ?? '',
        attemptId: r.custom_id ?? null,
        receipt: r.id,
        reason: type === 'failed' ? DENIED_REASON : null,
      };
    }
    case 'PAYMENT.CAPTURE.REFUNDED':
    case 'PAYMENT.CAPTURE.REVERSED':
      // The resource is the refund; its capture (the payment's receipt) is in the `up` link.
      return {
        ...base,
        type: 'refunded',
        providerRef: upCapture(r.links) ?? '',
        attemptId: r.custom_id ?? null,
        receipt: r.id,
        reason: e.event_type === 'PAYMENT.CAPTURE.REVERSED' ? 'Reversed by PayPal' : null,
      };
    default:
      // CHECKOUT.ORDER.APPROVED and the rest: the return page or reconciliation captures.
      return { ...base, type: 'ignored', providerRef: '', attemptId: null, receipt: null, reason: null };
  }
}
