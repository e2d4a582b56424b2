// What /my shows a signed-in subscriber, every query scoped to the session's tenant and
// subscriber (never to an id from the browser): the account, usage, live session, invoices,
// plans they may move to, voucher plans on sale, and the codes they bought.
import { and, asc, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import {
  billingAccounts,
  invoices,
  payLinks,
  paymentAttempts,
  plans,
  radiusSessions,
  subscribers,
  vouchers,
  voucherSales,
} from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { balanceOf } from '../billing/ledger.ts';
import { usageStateSql } from '../vouchers/voucher-figures.ts';
import type { SubscriberSession } from './subscriber-session.ts';

/** Days of usage shown by the chart. */
export const USAGE_DAYS = 14;

async function account(app: AppContext, s: SubscriberSession) {
  const [row] = await app.db
    .select({
      username: subscribers.username,
      fullName: subscribers.fullName,
      phone: subscribers.phone,
      status: subscribers.status,
      statusReason: subscribers.statusReason,
      service: subscribers.service,
      expiresAt: subscribers.expiresAt,
      planId: plans.id,
      planName: plans.name,
      planPriceMinor: plans.priceMinor,
      downloadBps: plans.downloadBps,
      uploadBps: plans.uploadBps,
      periodStart: billingAccounts.periodStart,
      periodEnd: billingAccounts.periodEnd,
    })
    .from(subscribers)
    .innerJoin(plans, eq(plans.id, subscribers.planId))
    .leftJoin(billingAccounts, eq(billingAccounts.subscriberId, subscribers.id))
    .where(and(eq(subscribers.tenantId, s.tenantId), eq(subscribers.id, s.subscriberId)));
  if (!row) throw new Error('signed-in subscriber vanished');
  return row;
}

/** Octets per day of the tenant's calendar, the last USAGE_DAYS days, every day present. */
async function usage(app: AppContext, s: SubscriberSession, username: string) {
  const rows = await app.db.execute<{ day: string; down: string; up: string }>(sql`
    with days as (
      select generate_series((now() at time zone ${s.timezone})::date - ${USAGE_DAYS - 1}::int,
                             (now() at time zone ${s.timezone})::date, interval '1 day')::date as day
    )
    select to_char(d.day, 'YYYY-MM-DD') as day,
           coalesce(sum(rs.output_octets), 0)::text as down,
           coalesce(sum(rs.input_octets), 0)::text as up
    from days d
    left join ${radiusSessions} rs
      on rs.tenant_id = ${s.tenantId}
     and (rs.subscriber_id = ${s.subscriberId} or lower(rs.user_name) = lower(${username}))
     and (rs.started_at at time zone ${s.timezone})::date = d.day
    group by d.day order by d.day`);
  return [...rows].map((r) => ({ day: r.day, downloadOctets: r.down, uploadOctets: r.up }));
}

/** Octets since the period started (sessions started in it). */
async function periodUsage(app: AppContext, s: SubscriberSession, username: string, since: Date) {
  const [row] = await app.db.execute<{ down: string; up: string }>(sql`
    select coalesce(sum(output_octets), 0)::text as down, coalesce(sum(input_octets), 0)::text as up
    from ${radiusSessions}
    where tenant_id = ${s.tenantId}
      and (subscriber_id = ${s.subscriberId} or lower(user_name) = lower(${username}))
      and started_at >= ${since.toISOString()}::timestamptz`);
  return { downloadOctets: row?.down ?? '0', uploadOctets: row?.up ?? '0' };
}

async function liveSession(app: AppContext, s: SubscriberSession, username: string) {
  const [live] = await app.db
    .select({
      startedAt: radiusSessions.startedAt,
      framedIp: radiusSessions.framedIp,
      downloadOctets: radiusSessions.outputOctets,
      uploadOctets: radiusSessions.inputOctets,
    })
    .from(radiusSessions)
    .where(
      and(
        eq(radiusSessions.tenantId, s.tenantId),
        isNull(radiusSessions.stoppedAt),
        or(
          eq(radiusSessions.subscriberId, s.subscriberId),
          sql`lower(${radiusSessions.userName}) = lower(${username})`,
        ),
      ),
    )
    .orderBy(desc(radiusSessions.startedAt))
    .limit(1);
  return live
    ? {
        startedAt: live.startedAt.toISOString(),
        framedIp: live.framedIp,
        downloadOctets: live.downloadOctets.toString(),
        uploadOctets: live.uploadOctets.toString(),
      }
    : null;
}

async function invoiceList(app: AppContext, s: SubscriberSession) {
  const rows = await app.db
    .select({
      id: invoices.id,
      kind: invoices.kind,
      status: invoices.status,
      number: invoices.displayNumber,
      totalMinor: invoices.totalMinor,
      allocatedMinor: invoices.allocatedMinor,
      issuedAt: invoices.issuedAt,
      dueAt: invoices.dueAt,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, s.tenantId),
        eq(invoices.subscriberId, s.subscriberId),
        ne(invoices.status, 'draft'),
      ),
    )
    .orderBy(desc(invoices.issuedAt))
    .limit(24);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    number: r.number,
    totalMinor: r.totalMinor.toString(),
    dueMinor: (r.totalMinor - r.allocatedMinor).toString(),
    issuedAt: r.issuedAt?.toISOString() ?? null,
    dueAt: r.dueAt?.toISOString() ?? null,
    payable: r.kind === 'invoice' && r.status !== 'void' && r.totalMinor > r.allocatedMinor,
  }));
}

/** Plans a subscriber may move to: live, not voucher-only, in the tenant's currency. */
async function otherPlans(app: AppContext, s: SubscriberSession, currentPlanId: string) {
  const rows = await app.db
    .select({ id: plans.id, name: plans.name, priceMinor: plans.priceMinor, downloadBps: plans.downloadBps })
    .from(plans)
    .where(
      and(
        eq(plans.tenantId, s.tenantId),
        isNull(plans.archivedAt),
        inArray(plans.audience, ['subscriber', 'both']),
        eq(plans.currency, s.currency),
        ne(plans.id, currentPlanId),
      ),
    )
    .orderBy(plans.priceMinor);
  return rows.map((p) => ({ ...p, priceMinor: p.priceMinor.toString() }));
}

/**
 * Voucher plans the subscriber can buy from /my (a top-up or a code for another device): the
 * same plans the hotspot login page sells — active, not archived, priced, not subscriber-only.
 */
async function plansOnSale(app: AppContext, s: SubscriberSession) {
  const rows = await app.db
    .select({
      id: plans.id,
      name: plans.name,
      priceMinor: plans.priceMinor,
      currency: plans.currency,
      validitySeconds: plans.validitySeconds,
    })
    .from(plans)
    .where(
      and(
        eq(plans.tenantId, s.tenantId),
        eq(plans.active, true),
        isNull(plans.archivedAt),
        ne(plans.audience, 'subscriber'),
        gt(plans.priceMinor, 0n),
      ),
    )
    .orderBy(asc(plans.priceMinor), asc(plans.name));
  return rows.map((p) => ({ ...p, priceMinor: p.priceMinor.toString() }));
}

/** Codes shown on /my: at most this many, newest first. */
export const CODES_SHOWN = 20;

/**
 * Codes this subscriber bought: paid on /my (the buy-plan link names them), or sold by an agent
 * to their number (an agent types 07…, the account holds +2547…), with what RADIUS would make
 * of each now (unused, in use, used up, expired…) and when it expires.
 */
async function boughtCodes(app: AppContext, s: SubscriberSession, phone: string | null) {
  const digits = phone?.replace(/\D/g, '').slice(-9) ?? '';
  const byNumber =
    digits.length === 9
      ? sql`select ${voucherSales.voucherId} from ${voucherSales}
            where ${voucherSales.tenantId} = ${s.tenantId}
              and right(regexp_replace(${voucherSales.buyerPhone}, '[^0-9]', '', 'g'), 9) = ${digits}`
      : null;
  const byPurchase = sql`select ${paymentAttempts.voucherId} from ${paymentAttempts}
            join ${payLinks} on ${payLinks.id} = ${paymentAttempts.payLinkId}
            where ${paymentAttempts.tenantId} = ${s.tenantId}
              and ${paymentAttempts.status} = 'succeeded'
              and ${paymentAttempts.voucherId} is not null
              and ${payLinks.subscriberId} = ${s.subscriberId}`;
  const ids = byNumber ? sql`${byPurchase} union ${byNumber}` : byPurchase;
  const rows = await app.db
    .select({
      code: vouchers.code,
      soldAt: sql<Date>`coalesce(${vouchers.soldAt}, ${vouchers.createdAt})`.mapWith(vouchers.createdAt),
      plan: plans.name,
      state: usageStateSql({ seconds: vouchers.usedSeconds, octets: vouchers.usedOctets }),
      expiresAt: vouchers.expiresAt,
    })
    .from(vouchers)
    .innerJoin(plans, eq(plans.id, vouchers.planId))
    .where(and(eq(vouchers.tenantId, s.tenantId), sql`${vouchers.id} in (${ids})`))
    .orderBy(desc(sql`coalesce(${vouchers.soldAt}, ${vouchers.createdAt})`), asc(vouchers.code))
    .limit(CODES_SHOWN);
  return rows.map((r) => ({
    code: r.code,
    soldAt: r.soldAt.toISOString(),
    plan: r.plan,
    state: r.state,
    expiresAt: r.expiresAt?.toISOString() ?? null,
  }));
}

/** Everything /my shows, as JSON-safe values (money and octets as decimal strings). */
export async function selfServiceOverview(app: AppContext, s: SubscriberSession) {
  const a = await account(app, s);
  const since = a.periodStart ?? new Date(Date.now() - 30 * 86_400_000);
  const [balance, days, period, live, invoiceRows, plansOffered, onSale, codes] = await Promise.all([
    balanceOf(app.db, s.tenantId, s.subscriberId),
    usage(app, s, a.username),
    periodUsage(app, s, a.username, since),
    liveSession(app, s, a.username),
    invoiceList(app, s),
    otherPlans(app, s, a.planId),
    plansOnSale(app, s),
    boughtCodes(app, s, a.phone),
  ]);
  return {
    tenant: { name: s.tenantName, currency: s.currency, locale: s.locale, timezone: s.timezone },
    account: {
      username: a.username,
      fullName: a.fullName,
      phone: a.phone,
      status: a.status,
      statusReason: a.statusReason,
      service: a.service,
      expiresAt: a.expiresAt?.toISOString() ?? null,
      plan: {
        id: a.planId,
        name: a.planName,
        priceMinor: a.planPriceMinor.toString(),
        downloadBps: a.downloadBps,
      },
      period:
        a.periodStart && a.periodEnd
          ? { start: a.periodStart.toISOString(), end: a.periodEnd.toISOString() }
          : null,
    },
    balanceMinor: balance.toString(),
    usage: { since: since.toISOString(), ...period, days },
    live,
    invoices: invoiceRows,
    plans: plansOffered,
    onSale,
    codes,
  };
}

export type SelfServiceOverview = Awaited<ReturnType<typeof selfServiceOverview>>;
