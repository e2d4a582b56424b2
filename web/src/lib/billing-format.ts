// How billing figures read on screen (display only; amounts come exact from the API). Words in
// the person's language, days in the tenant's locale and time zone (ADR 0030).
import { formatMoney } from '@kasi/domain';
import { m } from './i18n/locale.ts';
import { formatDate } from './locale-format.ts';

export const money = (amountMinor: bigint, currency: string) => formatMoney({ amountMinor, currency });

const LABELS: Record<string, { label: () => string; tone: 'ok' | 'warn' | 'danger' | 'muted' }> = {
  draft: { label: m.console_billing_draft, tone: 'muted' },
  open: { label: m.console_billing_open, tone: 'warn' },
  partially_paid: { label: m.console_billing_part_paid, tone: 'warn' },
  paid: { label: m.console_billing_paid, tone: 'ok' },
  void: { label: m.console_billing_void, tone: 'danger' },
};

/** An invoice status's word in the person's language ("Part paid", "Imelipwa sehemu"…). */
export const invoiceStatusLabel = (status: string) => LABELS[status]?.label() ?? status;

export function invoiceBadge(kind: string, status: string, approval: string) {
  if (approval === 'pending') return { label: m.console_billing_awaiting_approval(), tone: 'warn' as const };
  if (kind === 'credit_note' && status !== 'draft')
    return { label: m.console_billing_credit_note(), tone: 'muted' as const };
  const known = LABELS[status];
  return known ? { label: known.label(), tone: known.tone } : { label: status, tone: 'muted' as const };
}

/** "owes 1500.00 KES" / "credit 200.00 KES" / "settled". */
export function balanceText(balanceMinor: bigint, currency: string): string {
  if (balanceMinor > 0n) return m.console_billing_owes({ amount: money(balanceMinor, currency) });
  if (balanceMinor < 0n) return m.console_billing_in_credit({ amount: money(-balanceMinor, currency) });
  return m.console_billing_settled();
}

/** The day in the tenant's calendar and locale (07/12/2026 in en-KE), not UTC's. */
export const day = (d: Date | null) => (d ? formatDate(d) : '—');

/** Server routes outside the app (the browser opens the PDF itself). */
export const invoicePdfUrl = (id: string) => `/pdf/invoices/${id}.pdf`;
export const receiptPdfUrl = (paymentId: string) => `/pdf/receipts/${paymentId}.pdf`;
