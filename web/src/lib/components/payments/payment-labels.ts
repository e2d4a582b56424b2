// How the payments screens name methods, statuses, attempt states and inbox outcomes, in the
// operator's language (messages/<locale>/payments.json).
import { m } from '#lib/i18n/locale.ts';

export const PAYMENT_METHOD_VALUES = ['mpesa', 'card', 'paypal', 'cash', 'bank_transfer', 'cheque'] as const;
export const PAYMENT_STATUS_VALUES = ['received', 'refund_pending', 'partly_refunded', 'refunded'] as const;

export function methodLabel(method: string): string {
  switch (method) {
    case 'mpesa':
      return m.payments_method_mpesa();
    case 'card':
      return m.payments_method_card();
    case 'paypal':
      return m.payments_method_paypal();
    case 'cash':
      return m.payments_method_cash();
    case 'bank_transfer':
      return m.payments_method_bank_transfer();
    case 'cheque':
      return m.payments_method_cheque();
    default:
      return method;
  }
}

export type Tone = 'ok' | 'warn' | 'danger' | 'muted';

export function statusBadge(status: string): { label: string; tone: Tone } {
  switch (status) {
    case 'received':
      return { label: m.payments_status_received(), tone: 'ok' };
    case 'refund_pending':
      return { label: m.payments_status_refund_pending(), tone: 'warn' };
    case 'partly_refunded':
      return { label: m.payments_status_partly_refunded(), tone: 'warn' };
    case 'refunded':
      return { label: m.payments_status_refunded(), tone: 'muted' };
    default:
      return { label: status, tone: 'muted' };
  }
}

export const PLAN_PURCHASE_STATUS_VALUES = ['paid', 'refund_pending', 'refunded'] as const;

/** Where a "buy plan" purchase stands: kept, a refund open, or given back. */
export function purchaseBadge(status: string): { label: string; tone: Tone } {
  return status === 'paid' ? { label: m.payments_purchase_paid(), tone: 'ok' } : statusBadge(status);
}

/** An attempt's or a refund's state. */
export function stateBadge(state: string): { label: string; tone: Tone } {
  switch (state) {
    case 'created':
      return { label: m.payments_state_created(), tone: 'muted' };
    case 'pending':
      return { label: m.payments_state_pending(), tone: 'warn' };
    case 'requested':
      return { label: m.payments_state_requested(), tone: 'warn' };
    case 'pending_approval':
      return { label: m.payments_state_pending_approval(), tone: 'warn' };
    case 'succeeded':
      return { label: m.payments_state_succeeded(), tone: 'ok' };
    case 'failed':
      return { label: m.payments_state_failed(), tone: 'danger' };
    case 'rejected':
      return { label: m.payments_state_rejected(), tone: 'danger' };
    default:
      return { label: state, tone: 'muted' };
  }
}

export function gatewayLabel(gateway: string | null): string {
  if (gateway === 'mpesa') return 'M-Pesa';
  if (gateway === 'stripe') return 'Stripe';
  if (gateway === 'paypal') return 'PayPal';
  return '—';
}

/** What the provider's own id is called, per gateway (people quote it on the phone). */
export function receiptLabel(gateway: string | null): string {
  if (gateway === 'mpesa') return m.payments_id_mpesa_receipt();
  if (gateway === 'stripe') return m.payments_id_stripe_intent();
  if (gateway === 'paypal') return m.payments_id_paypal_capture();
  return m.payments_id_provider();
}

export function checkoutLabel(gateway: string | null): string {
  if (gateway === 'mpesa') return m.payments_id_mpesa_checkout();
  if (gateway === 'stripe') return m.payments_id_stripe_session();
  if (gateway === 'paypal') return m.payments_id_paypal_order();
  return m.payments_id_provider();
}

export function outcomeLabel(outcome: string | null): string {
  switch (outcome) {
    case null:
      return m.payments_outcome_waiting();
    case 'applied':
      return m.payments_outcome_applied();
    case 'duplicate':
      return m.payments_outcome_duplicate();
    case 'unmatched':
      return m.payments_outcome_unmatched();
    case 'suspense':
      return m.payments_outcome_suspense();
    case 'failed_attempt':
      return m.payments_outcome_failed_attempt();
    case 'ignored':
      return m.payments_outcome_ignored();
    case 'unconfirmed':
      return m.payments_outcome_unconfirmed();
    case 'refunded':
      return m.payments_outcome_refunded();
    default:
      return outcome;
  }
}
