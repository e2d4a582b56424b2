// How billing figures read on screen (display only; amounts come exact from the API).
import { formatMoney } from '@kasi/domain';

export const money = (amountMinor: bigint, currency: string) => formatMoney({ amountMinor, currency });

const LABELS: Record<string, { label: string; tone: 'ok' | 'warn' | 'danger' | 'muted' }> = {
  draft: { label: 'Draft', tone: 'muted' },
  open: { label: 'Open', tone: 'warn' },
  partially_paid: { label: 'Part paid', tone: 'warn' },
  paid: { label: 'Paid', tone: 'ok' },
  void: { label: 'Void', tone: 'danger' },
};

export function invoiceBadge(kind: string, status: string, approval: string) {
  if (approval === 'pending') return { label: 'Awaiting approval', tone: 'warn' as const };
  if (kind === 'credit_note' && status !== 'draft') return { label: 'Credit note', tone: 'muted' as const };
  return LABELS[status] ?? { label: status, tone: 'muted' as const };
}

/** "owes 1500.00 KES" / "credit 200.00 KES" / "settled". */
export function balanceText(balanceMinor: bigint, currency: string): string {
  if (balanceMinor > 0n) return `Owes ${money(balanceMinor, currency)}`;
  if (balanceMinor < 0n) return `In credit ${money(-balanceMinor, currency)}`;
  return 'Settled';
}

export const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '—');

/** Server routes outside the app (the browser opens the PDF itself). */
export const invoicePdfUrl = (id: string) => `/pdf/invoices/${id}.pdf`;
export const receiptPdfUrl = (paymentId: string) => `/pdf/receipts/${paymentId}.pdf`;
