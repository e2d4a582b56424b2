// Stripe events Kasi acts on, normalised. Fulfil on `checkout.session.completed` only when the
// session is paid (a delayed method completes unpaid and later sends async_payment_succeeded);
// `charge.refunded` and `charge.dispute.created` become reversing entries (ADR 0021).
import type Stripe from 'stripe';
import type { PaymentEvent } from './gateway.ts';

type Session = Stripe.Checkout.Session;

function sessionEvent(
  event: Stripe.Event,
  s: Session,
  type: PaymentEvent['type'],
  reason: string | null,
): PaymentEvent {
  const intent = typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null);
  return {
    eventId: event.id,
    type,
    providerRef: s.id,
    attemptId: s.client_reference_id ?? null,
    amountMinor: s.amount_total === null ? null : BigInt(s.amount_total),
    currency: s.currency ? s.currency.toUpperCase() : null,
    receipt: intent,
    resultCode: s.payment_status,
    reason,
  };
}

export function stripeEvent(event: Stripe.Event): PaymentEvent {
  switch (event.type) {
    case 'checkout.session.completed': {
      const s = event.data.object;
      return s.payment_status === 'paid' || s.payment_status === 'no_payment_required'
        ? sessionEvent(event, s, 'succeeded', null)
        : sessionEvent(event, s, 'pending', null);
    }
    case 'checkout.session.async_payment_succeeded':
      return sessionEvent(event, event.data.object, 'succeeded', null);
    case 'checkout.session.async_payment_failed':
      return sessionEvent(event, event.data.object, 'failed', 'The bank did not complete the payment.');
    case 'checkout.session.expired':
      return sessionEvent(event, event.data.object, 'failed', 'The checkout page expired before payment.');
    case 'charge.refunded': {
      // The charge's running total: Kasi posts what it has not posted yet (ADR 0021).
      const c = event.data.object;
      return {
        eventId: event.id,
        type: 'refunded',
        providerRef: typeof c.payment_intent === 'string' ? c.payment_intent : (c.payment_intent?.id ?? ''),
        attemptId: null,
        amountMinor: BigInt(c.amount_refunded),
        currency: c.currency.toUpperCase(),
        receipt: c.id,
        resultCode: event.type,
        reason: null,
      };
    }
    case 'charge.dispute.created': {
      const d = event.data.object;
      return {
        eventId: event.id,
        type: 'disputed',
        providerRef: typeof d.payment_intent === 'string' ? d.payment_intent : (d.payment_intent?.id ?? ''),
        attemptId: null,
        amountMinor: BigInt(d.amount),
        currency: d.currency.toUpperCase(),
        receipt: d.id,
        resultCode: event.type,
        reason: d.reason,
      };
    }
    default:
      return {
        eventId: event.id,
        type: 'ignored',
        providerRef: '',
        attemptId: null,
        amountMinor: null,
        currency: null,
        receipt: null,
        resultCode: event.type,
        reason: null,
      };
  }
}
