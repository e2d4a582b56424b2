// Dunning on day D (ADR 0016): reminders on the policy's days around each open invoice's due
// date, then suspension of accounts with an invoice unpaid past its grace days — except on a
// quiet day (weekend, holiday), for "never suspend" accounts, during a promise to pay, while a
// payment is pending, and never for a zero or credit balance. The reasons are checked again
// under the subscriber's lock when the suspension is made.
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@kasi/db';
import { ts } from './billing-calendar.ts';
import { isQuietDay, type DunningPolicy } from './dunning-policy.ts';
import { pendingPaymentHold } from './pending-payment.ts';

export interface Reminder {
  invoiceId: string;
  subscriberId: string;
  /** Days from the due date (−3: three days before). */
  offset: number;
}

export interface DunningContext {
  tenantId: string;
  day: string;
  timeZone: string;
  at: Date;
  policy: DunningPolicy;
}

/** SQL: invoice `i` is still owed and its due date plus grace lies before `day`. */
export const overdueInvoice = (c: Pick<DunningContext, 'day' | 'timeZone' | 'policy'>): SQL => sql`
  i.kind = 'invoice' and i.status in ('open', 'partially_paid') and i.allocated_minor < i.total_minor
  and (i.due_at at time zone ${c.timeZone})::date + ${c.policy.graceDays}::int < ${c.day}::date`;

/** SQL: nothing shields subscriber `s` (billing account `a`) from suspension at `at`. */
export const suspendable = (at: Date): SQL => sql`
  s.status = 'active' and not coalesce(a.never_suspend, false)
  and (a.promise_to_pay_until is null or a.promise_to_pay_until <= ${ts(at)})
  and not ${pendingPaymentHold(sql`s.id`, at)}
  and coalesce((select sum(b.balance_minor) from subscriber_balances b where b.subscriber_id = s.id), 0) > 0`;

export async function dueReminders(db: Executor, c: DunningContext): Promise<Reminder[]> {
  if (c.policy.reminderDays.length === 0) return [];
  const rows = await db.execute<{ id: string; subscriber_id: string; offset: number }>(sql`
    select i.id, i.subscriber_id, (${c.day}::date - (i.due_at at time zone ${c.timeZone})::date) as offset
    from invoices i join subscribers s on s.id = i.subscriber_id
    where i.tenant_id = ${c.tenantId} and i.kind = 'invoice' and i.status in ('open', 'partially_paid')
      and i.allocated_minor < i.total_minor and s.status = 'active'
      and (${c.day}::date - (i.due_at at time zone ${c.timeZone})::date)
          in (select value::int from json_array_elements_text(${JSON.stringify(c.policy.reminderDays)}::json))`);
  return rows.map((r) => ({ invoiceId: r.id, subscriberId: r.subscriber_id, offset: Number(r.offset) }));
}

/** Subscribers to suspend on day D (none on a quiet day), with their oldest overdue invoice. */
export async function dueSuspensions(
  db: Executor,
  c: DunningContext,
  only?: string,
): Promise<{ subscriberId: string; invoiceId: string }[]> {
  if (isQuietDay(c.policy, c.day)) return [];
  const rows = await db.execute<{ id: string; invoice_id: string }>(sql`
    select distinct on (s.id) s.id, i.id as invoice_id
    from invoices i
    join subscribers s on s.id = i.subscriber_id
    left join billing_accounts a on a.subscriber_id = s.id
    where i.tenant_id = ${c.tenantId} and ${overdueInvoice(c)} and ${suspendable(c.at)}
      ${only ? sql`and s.id = ${only}` : sql``}
    order by s.id, i.due_at`);
  return rows.map((r) => ({ subscriberId: r.id, invoiceId: r.invoice_id }));
}
