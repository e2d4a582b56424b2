// A code's usage state and the honest counts built on it, written once for the batch page,
// the batch and plan lists and the tenant's totals. "Sold" is money taken: an agent's synced
// sale, a printed card someone logged in with, or an online sale. Codes held for tests are
// never sold, and their logins are counted as test logins.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { plans, vouchers } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';

/** What RADIUS would make of a code now; the channel says who has it. */
export type VoucherUsageState = 'void' | 'locked' | 'expired' | 'exhausted' | 'active' | 'unused';

/** Needs `plans` joined on the code's plan; usage is stored usage plus whatever the caller adds. */
export function usageStateSql(usage: {
  seconds: SQL | typeof vouchers.usedSeconds;
  octets: SQL | typeof vouchers.usedOctets;
}) {
  return sql<VoucherUsageState>`case
    when ${vouchers.status} = 'void' then 'void'
    when ${vouchers.locked} then 'locked'
    when ${vouchers.status} = 'expired' or ${vouchers.expiresAt} <= now() then 'expired'
    when ${vouchers.status} = 'exhausted'
      or ${usage.seconds} >= ${plans.timeQuotaSeconds}
      or ${usage.octets} >= ${plans.dataQuotaBytes} then 'exhausted'
    when ${vouchers.firstUsedAt} is not null or ${vouchers.status} = 'active' then 'active'
    else 'unused' end`;
}

export const soldSql = sql<boolean>`((${vouchers.channel} in ('leased', 'online') and ${vouchers.soldAt} is not null)
  or (${vouchers.channel} = 'printed' and ${vouchers.firstUsedAt} is not null))`;

export interface VoucherFigures {
  total: number;
  /** In stock and still sellable: what a print run or a lease can take. */
  inStock: number;
  printed: number;
  /** On agents' phones, not sold yet. */
  withAgents: number;
  heldForTests: number;
  sold: number;
  testLogins: number;
  inUse: number;
  usedUp: number;
  expired: number;
  void: number;
  locked: number;
}

function figureColumns() {
  const state = usageStateSql({ seconds: vouchers.usedSeconds, octets: vouchers.usedOctets });
  const n = (where: SQL) => sql<number>`count(*) filter (where ${where})`.mapWith(Number);
  return {
    total: sql<number>`count(*)`.mapWith(Number),
    inStock: n(sql`${vouchers.channel} = 'stock' and ${state} = 'unused'`),
    printed: n(sql`${vouchers.channel} = 'printed'`),
    withAgents: n(sql`${vouchers.channel} = 'leased' and ${vouchers.soldAt} is null and ${state} <> 'void'`),
    heldForTests: n(sql`${vouchers.channel} = 'held'`),
    sold: n(soldSql),
    testLogins: n(sql`${vouchers.channel} = 'held' and ${vouchers.firstUsedAt} is not null`),
    inUse: n(sql`${state} = 'active'`),
    usedUp: n(sql`${state} = 'exhausted'`),
    expired: n(sql`${state} = 'expired'`),
    void: n(sql`${state} = 'void'`),
    locked: n(sql`${state} = 'locked'`),
  };
}

export const EMPTY_FIGURES: VoucherFigures = {
  total: 0,
  inStock: 0,
  printed: 0,
  withAgents: 0,
  heldForTests: 0,
  sold: 0,
  testLogins: 0,
  inUse: 0,
  usedUp: 0,
  expired: 0,
  void: 0,
  locked: 0,
};

/**
 * The counts per batch, per plan or for the whole tenant (key ''), from stored usage: closed
 * sessions, which is what the lists need; a code's own page adds its open sessions.
 */
export async function voucherFigures(
  app: AppContext,
  actor: Actor,
  by: 'batch' | 'plan' | 'tenant',
): Promise<Map<string, VoucherFigures>> {
  requirePermission(actor, 'voucher.read');
  const key = by === 'batch' ? vouchers.batchId : by === 'plan' ? vouchers.planId : null;
  const query = app.db
    .select({ key: key ? sql<string>`${key}` : sql<string>`''`, ...figureColumns() })
    .from(vouchers)
    .innerJoin(plans, and(eq(plans.id, vouchers.planId), eq(plans.tenantId, actor.tenantId)))
    .where(eq(vouchers.tenantId, actor.tenantId));
  const rows = await (key ? query.groupBy(key) : query);
  return new Map(rows.map(({ key: k, ...figures }) => [k, figures]));
}
