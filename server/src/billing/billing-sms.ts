// The texts billing sends to a subscriber, through the SMS outbox (ADR 0022) in the transaction
// of the fact they tell about: a reminder, a suspension, a restore, a recorded payment. An
// account without a phone number gets none. Reminders and suspensions carry a fresh pay link
// (the token is only ever in the text). Each has a dedupe key where a retry could repeat the
// fact (a reminder job run twice, a payment replayed), so a customer gets each text once.
import { and, eq } from 'drizzle-orm';
import { billingAccounts, plans, subscribers, type Executor } from '@kasi/db';
import { formatMoney } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { issuePayLink } from '../payments/pay-link.service.ts';
import { paymentDepsOf } from '../payments/payment-deps.ts';
import { queueSms, type QueuedSms, type SmsEvent } from '../sms/sms-outbox.ts';
import { billingActor } from './dunning-actions.ts';

export interface BillingSms {
  tenantId: string;
  subscriberId: string;
  event: Extract<SmsEvent, 'reminder' | 'suspended' | 'restored' | 'payment_received'>;
  vars: Record<string, string>;
  /** The invoice a pay link pays (a reminder); else the link pays the balance. */
  invoiceId?: string | null;
  dedupeKey?: string;
}

const WITH_PAY_LINK: ReadonlySet<BillingSms['event']> = new Set(['reminder', 'suspended']);

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '');

/** Queues the text in `tx`; null when the account has no phone number. */
export async function sendBillingSms(
  app: AppContext,
  tx: Executor,
  m: BillingSms,
): Promise<QueuedSms | null> {
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
