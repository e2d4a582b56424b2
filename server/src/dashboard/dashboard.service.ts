// The operator's first screen: what is happening now and what came in today and this month,
// for the whole tenant in a handful of statements run side by side.
import { eq, sql } from 'drizzle-orm';
import { tenants } from '@kasi/db';
import { notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { tenantJobCounts, type JobCounts } from './dashboard-jobs.ts';
import { smsBanner } from '../sms/sms-outbox.ts';
import {
  activePlanTerms,
  billingFigures,
  liveCounts,
  onlineLast24h,
  revenueByChannel,
  type Channel,
  type OnlinePoint,
} from './dashboard-queries.ts';
import { monthlyRecurringMinor } from './mrr.ts';

export const CHANNELS: readonly Channel[] = ['agent', 'printed', 'online', 'payments'];

export interface ChannelRevenue {
  channel: Channel;
  todayCount: number;
  todayMinor: bigint;
  monthCount: number;
  monthMinor: bigint;
}

export interface DashboardSummary {
  currency: string;
  timezone: string;
  /** The tenant's local date today, YYYY-MM-DD. */
  today: string;
  onlineNow: number;
  online24h: OnlinePoint[];
  /** Every channel, in a fixed order, zero when nothing came in. */
  revenue: ChannelRevenue[];
  routers: { down: number; total: number };
  jobs: JobCounts | null;
  /** SMS not set up (or off) while messages wait in the outbox: the banner. */
  sms: { configured: boolean; waitReason: string | null; waiting: number };
  conflictsOpen: number;
  billing: {
    mrrMinor: bigint;
    billedMinor: bigint;
    collectedMinor: bigint;
    outstandingMinor: bigint;
    overdueCount: number;
    overdueMinor: bigint;
    aged: { current: bigint; days1to30: bigint; days31to60: bigint; days61to90: bigint; days90plus: bigint };
    suspendedToday: number;
    restoredToday: number;
    /** M-Pesa Paybill payments that matched no account, waiting for an operator. */
    suspenseCount: number;
  };
}

export async function dashboardSummary(app: AppContext, actor: Actor): Promise<DashboardSummary> {
  requirePermission(actor, 'dashboard.read');
  const t = actor.tenantId;
  const [tenant, revenue, [counts], [bill], terms, online24h, jobs, sms] = await Promise.all([
    findTenantCalendar(app, t),
    revenueByChannel(app.db, t),
    liveCounts(app.db, t),
    billingFigures(app.db, t),
    activePlanTerms(app.db, t),
    onlineLast24h(app.db, t),
    tenantJobCounts(app, t),
    smsBanner(app, app.db, t),
  ]);
  if (!counts || !bill) throw new Error('dashboard: aggregate returned no row');
  const byChannel = new Map(revenue.map((r) => [r.channel, r]));
  return {
    ...tenant,
    onlineNow: counts.onlineNow,
    online24h: online24h.map((p) => ({ at: p.at, users: p.users })),
    revenue: CHANNELS.map((channel) => {
      const r = byChannel.get(channel);
      return {
        channel,
        todayCount: r?.todayCount ?? 0,
        todayMinor: BigInt(r?.todayMinor ?? 0),
        monthCount: r?.monthCount ?? 0,
        monthMinor: BigInt(r?.monthMinor ?? 0),
      };
    }),
    routers: { down: counts.routersDown, total: counts.routersTotal },
    jobs,
    sms,
    conflictsOpen: counts.conflictsOpen,
    billing: {
      mrrMinor: monthlyRecurringMinor(terms.map((g) => ({ ...g, priceMinor: BigInt(g.priceMinor) }))),
      billedMinor: BigInt(bill.billedMinor),
      collectedMinor: BigInt(bill.collectedMinor),
      outstandingMinor: BigInt(bill.outstandingMonthMinor),
      overdueCount: bill.overdueCount,
      overdueMinor: BigInt(bill.overdueMinor),
      aged: {
        current: BigInt(bill.currentMinor),
        days1to30: BigInt(bill.days1to30Minor),
        days31to60: BigInt(bill.days31to60Minor),
        days61to90: BigInt(bill.days61to90Minor),
        days90plus: BigInt(bill.days90plusMinor),
      },
      suspendedToday: counts.suspendedToday,
      restoredToday: counts.restoredToday,
      suspenseCount: counts.suspenseWaiting,
    },
  };
}

async function findTenantCalendar(app: AppContext, tenantId: string) {
  const [row] = await app.db
    .select({
      currency: tenants.currency,
      timezone: tenants.timezone,
      today: sql<string>`to_char(now() at time zone ${tenants.timezone}, 'YYYY-MM-DD')`,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!row) throw notFound('TENANT.NOT_FOUND', 'No such tenant');
  return row;
}
