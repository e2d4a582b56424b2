// The texts billing sends to a subscriber, through the SMS outbox (ADR 0022) in the transaction
// of the fact they tell about: an invoice issued, a reminder, a suspension, a restore, a
// recorded payment. An account without a phone number gets none. Invoice, reminder and
// suspension texts carry a fresh pay link (the token is only ever in the text). Each has a
// dedupe key where a retry could repeat the fact (a job run twice, a payment replayed), so a
// customer gets each text once, and a repeat makes no second pay link.
import { and, eq } from 'drizzle-orm';
import { billingAccounts, invoices, plans, smsMessages, subscribers, type Executor } from '@kasi/db';
import { formatMoney } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { issuePayLink } from '../payments/pay-link.service.ts';
import { paymentDepsOf } from '../payments/payment-deps.ts';
import { queueSms, type QueuedSms, type SmsEvent } from '../sms/sms-outbox.ts';
import { localDay } from './billing-calendar.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import { billingActor } from './dunning-actions.ts';

export interface BillingSms {
  tenantId: string;
  subscriberId: string;
  event: Extract<SmsEvent, 'invoice_issued' | 'reminder' | 'suspended' | 'restored' | 'payment_received'>;
  vars: Record<string, string>;
  /** The invoice a pay link pays (invoice issued, reminder); else the link pays the balance. */
  invoiceId?: string | null;
  dedupeKey?: string;
}

const WITH_PAY_LINK: ReadonlySet<BillingSms['event']> = new Set(['invoice_issued', 'reminder', 'suspended']);

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '');

/** Queues the text in `tx`; null when the account has no phone number. */
export async function sendBillingSms(
  app: AppContext,
  tx: Executor,
  m: BillingSms,
): Promise<QueuedSms | null> {
  if (m.dedupeKey) {
    // Queued before (a retried job): that message stands, and no second pay link is made.
    const [prior] = await tx
      .select({ id: smsMessages.id, status: smsMessages.status, reason: smsMessages.reason })
      .from(smsMessages)
      .where(and(eq(smsMessages.tenantId, m.tenantId), eq(smsMessages.dedupeKey, m.dedupeKey)));
    if (prior) {
      return {
        id: prior.id,
        status: prior.status === 'skipped' ? 'skipped' : 'queued',
        ...(prior.reason !== null && { reason: prior.reason }),
      };
    }
  }
  const [sub] = await tx
    .select({ phone: subscribers.phone, fullName: subscribers.fullName, username: subscribers.username })
    .from(subscribers)
    .where(and(eq(subscribers.tenantId, m.tenantId), eq(subscribers.id, m.subscriberId)));
  if (!sub?.phone) return null;
  const vars: Record<string, string> = { name: sub.fullName ?? sub.username, ...m.vars };
  if (WITH_PAY_LINK.has(m.event)) {
    const link = await issuePayLink(paymentDepsOf(app), tx, billingActor(m.tenantId), {
      subscriberId: m.subscriberId,
      invoiceId: m.invoiceId ?? null,
    });
    vars.pay_link = link.url;
  }
  return queueSms(app, tx, {
    tenantId: m.tenantId,
    to: sub.phone,
    event: m.event,
    vars,
    subscriberId: m.subscriberId,
    ...(m.dedupeKey && { dedupeKey: m.dedupeKey }),
  });
}

/** The "restored" text's plan and service end (the current period's end, as a date). */
export async function restoredVars(tx: Executor, tenantId: string, subscriberId: string) {
  const [row] = await tx
    .select({ plan: plans.name, end: billingAccounts.periodEnd })
    .from(subscribers)
    .innerJoin(plans, eq(plans.id, subscribers.planId))
    .leftJoin(billingAccounts, eq(billingAccounts.subscriberId, subscribers.id))
    .where(and(eq(subscribers.tenantId, tenantId), eq(subscribers.id, subscriberId)));
  return { plan: row?.plan ?? '', expires: day(row?.end) };
}

export const moneyText = (amountMinor: bigint, currency: string) => formatMoney({ amountMinor, currency });

/** An invoice as its texts tell it: number, amount still due, due date on the tenant's calendar. */
export async function invoiceForText(tx: Executor, tenantId: string, invoiceId: string) {
  const [inv] = await tx
    .select({
      status: invoices.status,
      kind: invoices.kind,
      subscriberId: invoices.subscriberId,
      number: invoices.displayNumber,
      totalMinor: invoices.totalMinor,
      allocatedMinor: invoices.allocatedMinor,
      currency: invoices.currency,
      dueAt: invoices.dueAt,
    })
    .from(invoices)
    .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)));
  if (!inv) return null;
  const owed = inv.kind === 'invoice' && (inv.status === 'open' || inv.status === 'partially_paid');
  const timeZone = inv.dueAt ? (await loadBillingSettings(tx, tenantId)).effectiveTimezone : 'UTC';
  return {
    ...inv,
    owed,
    vars: {
      amount: moneyText(inv.totalMinor - inv.allocatedMinor, inv.currency),
      due_date: inv.dueAt ? localDay(inv.dueAt, timeZone) : '',
      invoice: inv.number ?? '',
    },
  };
}

/**
 * The "invoice issued" text (amount due, due date, a pay link for the invoice), queued in `tx`:
 * the transaction that finalised the invoice by hand, or the billing run's job. Keyed per
 * invoice: a second call queues nothing and makes no second link. An invoice already paid (by
 * credit) or voided gets none; an account without a phone number gets none, and the result
 * says so; an opted-out number gets a skipped row in the outbox saying so.
 */
export async function textInvoiceIssued(app: AppContext, tx: Executor, tenantId: string, invoiceId: string) {
  const inv = await invoiceForText(tx, tenantId, invoiceId);
  if (!inv?.owed) return { intent: 'skip (paid or void)', invoice: inv?.number ?? null };
  const sms = await sendBillingSms(app, tx, {
    tenantId,
    subscriberId: inv.subscriberId,
    event: 'invoice_issued',
    invoiceId,
    vars: inv.vars,
    dedupeKey: `invoice_issued:${invoiceId}`,
  });
  return {
    intent: 'text',
    invoice: inv.number,
    sms: sms
      ? { id: sms.id, status: sms.status, ...(sms.reason !== undefined && { reason: sms.reason }) }
      : 'skipped: no phone number',
  };
}
