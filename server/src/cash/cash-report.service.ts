// Operator reports over synced sales and the agent ledger: sales by agent, day and plan,
// for instants or for whole days of the tenant's calendar, and each agent's shifts (from
// one handover to the next) with their cash variance.
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { agentLedger, agents, plans, tenants, users, voucherLeases, voucherSales, vouchers } from '@kasi/db';
import { notFound, salesReportInput, shiftsFromLedger, type SalesReportInput } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { findAgent } from '../agents/agent.service.ts';
import { resolveDays, salesDaysInput, type SalesDaysInput } from './report-days.ts';

export async function salesReport(app: AppContext, actor: Actor, input: SalesReportInput) {
  requirePermission(actor, 'cash.read');
  const { from, to, agentId } = salesReportInput.parse(input);
  // The day a sale belongs to is the tenant's local date of the device's sale time.
  const day = sql<string>`to_char(${voucherSales.soldAt} at time zone ${tenants.timezone}, 'YYYY-MM-DD')`;
  return app.db
    .select({
      day,
      agentId: voucherSales.agentId,
      agentName: users.name,
      planId: plans.id,
      planName: plans.name,
      currency: voucherLeases.currency,
      count: sql<number>`count(*)::int`.mapWith(Number),
      /** At lease price: what the agent owes for these sales. */
      faceMinor: sql<bigint>`sum(${voucherLeases.unitPriceMinor})::bigint`.mapWith(BigInt),
      /** What the devices reported taking from buyers. */
      reportedMinor: sql<bigint>`sum(${voucherSales.amountMinor})::bigint`.mapWith(BigInt),
    })
    .from(voucherSales)
    .innerJoin(tenants, eq(tenants.id, voucherSales.tenantId))
    .innerJoin(agents, eq(agents.id, voucherSales.agentId))
    .innerJoin(users, eq(users.id, agents.userId))
    .innerJoin(vouchers, eq(vouchers.id, voucherSales.voucherId))
    .innerJoin(voucherLeases, eq(voucherLeases.id, vouchers.leaseId))
    .innerJoin(plans, eq(plans.id, voucherLeases.planId))
    .where(
      and(
        eq(voucherSales.tenantId, actor.tenantId),
        gte(voucherSales.soldAt, from),
        lt(voucherSales.soldAt, to),
        agentId ? eq(voucherSales.agentId, agentId) : undefined,
      ),
    )
    .groupBy(day, voucherSales.agentId, users.name, plans.id, plans.name, voucherLeases.currency)
    .orderBy(day, asc(users.name), asc(plans.name));
}

/**
 * Sales for whole local days of the tenant (both ends included; default: the last 7 days),
 * with the range and time zone used, so the page can say which days it shows.
 */
export async function salesByDays(app: AppContext, actor: Actor, input: SalesDaysInput) {
  requirePermission(actor, 'cash.read');
  const { agentId, ...days } = salesDaysInput.parse(input);
  const [tenant] = await app.db
    .select({
      timezone: tenants.timezone,
      today: sql<string>`to_char(now() at time zone ${tenants.timezone}, 'YYYY-MM-DD')`,
    })
    .from(tenants)
    .where(eq(tenants.id, actor.tenantId));
  if (!tenant) throw notFound('TENANT.NOT_FOUND', 'No such tenant');
  const { fromDay, toDay } = resolveDays(days, tenant.today);
  // Local midnight → instant in PostgreSQL, which knows every zone's daylight-saving rules.
  const [bounds] = await app.db.execute<{ from: string; to: string }>(sql`
    select (extract(epoch from (${fromDay}::date)::timestamp at time zone ${tenant.timezone}) * 1000)::bigint::text as "from",
           (extract(epoch from (${toDay}::date + 1)::timestamp at time zone ${tenant.timezone}) * 1000)::bigint::text as "to"`);
  if (!bounds) throw new Error('no bounds');
  const rows = await salesReport(app, actor, {
    from: new Date(Number(bounds.from)),
    to: new Date(Number(bounds.to)),
    agentId,
  });
  return { fromDay, toDay, timezone: tenant.timezone, rows };
}

export async function shiftReport(app: AppContext, actor: Actor, agentId: string) {
  requirePermission(actor, 'cash.read');
  const agent = await findAgent(app.db, actor, agentId);
  const lines = await app.db
    .select({ kind: agentLedger.kind, amountMinor: agentLedger.amountMinor, at: agentLedger.at })
    .from(agentLedger)
    .where(and(eq(agentLedger.tenantId, actor.tenantId), eq(agentLedger.agentId, agent.id)))
    .orderBy(asc(agentLedger.id));
  return { agentId: agent.id, currency: agent.currency, shifts: shiftsFromLedger(lines) };
}
