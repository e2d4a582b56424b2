// The dashboard's statements, one per group of figures, each scoped to one tenant. "Today" and
// "this month" are the tenant's calendar (`tenants.timezone`, the one owner of a tenant's
// days): PostgreSQL turns local midnights into instants with the zone's daylight-saving rules.
import { sql, type SQL } from 'drizzle-orm';
import type { Database as Db } from '@kasi/db';
import { soldSql } from '../vouchers/voucher-figures.ts';

/** The tenant's zone, currency and the instants its day and month began. */
const periods = (tenantId: string) => sql`p as (
  select t.timezone as tz, t.currency,
         date_trunc('day', now() at time zone t.timezone) at time zone t.timezone as day_start,
         date_trunc('month', now() at time zone t.timezone) at time zone t.timezone as month_start
  from tenants t where t.id = ${tenantId})`;

export type Channel = 'agent' | 'printed' | 'online' | 'payments';

export interface ChannelRow {
  channel: Channel;
  todayCount: number;
  todayMinor: string;
  monthCount: number;
  monthMinor: string;
}

/**
 * Money in by channel since the month began: agents' synced sales at what the buyer paid,
 * printed cards at their plan's price on the day of their first login, online sales at their
 * plan's price, and subscriber payments. Only the tenant's currency is summed.
 */
export function revenueByChannel(db: Db, tenantId: string) {
  const sold = soldSql as SQL;
  return db.execute<ChannelRow & Record<string, unknown>>(sql`
    with ${periods(tenantId)},
    money as (
      select 'agent' as channel, s.sold_at as at, s.amount_minor as amount
        from voucher_sales s, p
       where s.tenant_id = ${tenantId} and s.currency = p.currency and s.sold_at >= p.month_start
      union all
      select 'printed', vouchers.first_used_at, pl.price_minor
        from vouchers join plans pl on pl.id = vouchers.plan_id, p
       where vouchers.tenant_id = ${tenantId} and vouchers.channel = 'printed' and ${sold}
         and vouchers.first_used_at >= p.month_start and pl.currency = p.currency
      union all
      select 'online', vouchers.sold_at, pl.price_minor
        from vouchers join plans pl on pl.id = vouchers.plan_id, p
       where vouchers.tenant_id = ${tenantId} and vouchers.channel = 'online' and ${sold}
         and vouchers.sold_at >= p.month_start and pl.currency = p.currency
         -- A purchase refunded (its code voided, ADR 0021) is no sale.
         and not exists (
           select 1 from payment_attempts a join payment_refunds r on r.attempt_id = a.id
            where a.tenant_id = ${tenantId} and a.voucher_id = vouchers.id and r.status = 'succeeded')
      union all
      select 'payments', pay.received_at, pay.amount_minor
        from payments pay, p
       where pay.tenant_id = ${tenantId} and pay.currency = p.currency and pay.received_at >= p.month_start
    )
    select m.channel,
           (count(*) filter (where m.at >= p.day_start))::int as "todayCount",
           coalesce(sum(m.amount) filter (where m.at >= p.day_start), 0)::text as "todayMinor",
           count(*)::int as "monthCount",
           coalesce(sum(m.amount), 0)::text as "monthMinor"
      from money m, p
     where m.at <= now()
     group by m.channel`);
}

export interface CountsRow {
  onlineNow: number;
  routersDown: number;
  routersTotal: number;
  conflictsOpen: number;
  suspendedToday: number;
  restoredToday: number;
  suspenseWaiting: number;
}

/** Live counts: sessions open now, routers whose last check failed, conflicts, suspensions, payments in suspense. */
export function liveCounts(db: Db, tenantId: string) {
  return db.execute<CountsRow & Record<string, unknown>>(sql`
    with ${periods(tenantId)}
    select
      (select count(*) from radius_sessions where tenant_id = ${tenantId} and stopped_at is null)::int as "onlineNow",
      (select count(*) from routers where tenant_id = ${tenantId} and health->>'reachable' = 'false')::int as "routersDown",
      (select count(*) from routers where tenant_id = ${tenantId})::int as "routersTotal",
      (select count(*) from sync_conflicts where tenant_id = ${tenantId} and resolved_at is null)::int as "conflictsOpen",
      (select count(*) from audit_log a where a.tenant_id = ${tenantId} and a.at >= p.day_start
          and a.action = 'subscriber.suspended')::int as "suspendedToday",
      (select count(*) from audit_log a where a.tenant_id = ${tenantId} and a.at >= p.day_start
          and a.action = 'subscriber.active' and a.before->>'status' = 'suspended')::int as "restoredToday",
      (select count(*) from payment_events where tenant_id = ${tenantId}
          and outcome = 'suspense')::int as "suspenseWaiting"
    from p`);
}

export interface BillingRow {
  billedMinor: string;
  outstandingMonthMinor: string;
  collectedMinor: string;
  overdueCount: number;
  overdueMinor: string;
  currentMinor: string;
  days1to30Minor: string;
  days31to60Minor: string;
  days61to90Minor: string;
  days90plusMinor: string;
}

/**
 * Billing this month and receivables now. Days past due are days of the tenant's calendar
 * between the due date and today; an invoice without a due date is current.
 */
export function billingFigures(db: Db, tenantId: string) {
  const bucket = (where: SQL) => sql`coalesce(sum(o.due) filter (where ${where}), 0)::text`;
  return db.execute<BillingRow & Record<string, unknown>>(sql`
    with ${periods(tenantId)},
    issued as (
      select i.total_minor, i.allocated_minor, i.status, i.issued_at
        from invoices i, p
       where i.tenant_id = ${tenantId} and i.kind = 'invoice' and i.currency = p.currency
         and i.status not in ('draft', 'void')
    ),
    o as (
      select i.total_minor - i.allocated_minor as due,
             (now() at time zone p.tz)::date - (i.due_at at time zone p.tz)::date as late
        from invoices i, p
       where i.tenant_id = ${tenantId} and i.kind = 'invoice' and i.currency = p.currency
         and i.status in ('open', 'partially_paid')
    )
    select
      (select coalesce(sum(total_minor), 0) from issued, p where issued_at >= p.month_start)::text as "billedMinor",
      (select coalesce(sum(total_minor - allocated_minor), 0) from issued, p
        where issued_at >= p.month_start and status in ('open', 'partially_paid'))::text as "outstandingMonthMinor",
      (select coalesce(sum(amount_minor), 0) from payments pay, p
        where pay.tenant_id = ${tenantId} and pay.currency = p.currency and pay.received_at >= p.month_start
      )::text as "collectedMinor",
      (count(*) filter (where o.late > 0))::int as "overdueCount",
      ${bucket(sql`o.late > 0`)} as "overdueMinor",
      ${bucket(sql`o.late is null or o.late <= 0`)} as "currentMinor",
      ${bucket(sql`o.late between 1 and 30`)} as "days1to30Minor",
      ${bucket(sql`o.late between 31 and 60`)} as "days31to60Minor",
      ${bucket(sql`o.late between 61 and 90`)} as "days61to90Minor",
      ${bucket(sql`o.late > 90`)} as "days90plusMinor"
    from o`);
}

export interface MrrRow {
  priceMinor: string;
  unit: 'month' | 'week' | 'day';
  count: number;
  subscribers: number;
}

/** Active subscribers grouped by their plan's price and billing period. */
export function activePlanTerms(db: Db, tenantId: string) {
  return db.execute<MrrRow & Record<string, unknown>>(sql`
    select pl.price_minor::text as "priceMinor", pl.billing_period_unit as unit,
           pl.billing_period_count as count, count(*)::int as subscribers
      from subscribers s
      join plans pl on pl.id = s.plan_id
      join tenants t on t.id = s.tenant_id and t.currency = pl.currency
     where s.tenant_id = ${tenantId} and s.status = 'active'
     group by pl.price_minor, pl.billing_period_unit, pl.billing_period_count`);
}

export interface OnlinePoint {
  /** Start of the 15-minute bucket, seconds since the epoch. */
  at: number;
  users: number;
}

/** Sessions open at any moment of each 15-minute bucket of the last 24 hours (97 buckets). */
export function onlineLast24h(db: Db, tenantId: string) {
  return db.execute<OnlinePoint & Record<string, unknown>>(sql`
    with b as (
      select generate_series(
        date_bin('15 minutes', now() - interval '24 hours', timestamptz '2000-01-01'),
        now(), interval '15 minutes') as start
    )
    select extract(epoch from b.start)::int as at, count(s.id)::int as users
      from b
      left join radius_sessions s
        on s.tenant_id = ${tenantId}
       and s.started_at < b.start + interval '15 minutes'
       and (s.stopped_at is null or s.stopped_at > b.start)
     group by b.start
     order by b.start`);
}
