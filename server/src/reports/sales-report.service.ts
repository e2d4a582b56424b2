// Sales by channel, plan, agent and day over whole days of the tenant's calendar (the
// tenant's time zone, as the dashboard and the cash reports count days). One row per
// (day, channel, plan, agent, currency); the page and the CSV pivot them. What counts as a
// sale is the dashboard's definition (voucher-figures.ts soldSql): an agent's synced sale at
// what the buyer paid, a printed card on the day of its first login at its plan's price, an
// online sale at its plan's price, and a subscriber payment.
import { sql } from 'drizzle-orm';
import { tenants } from '@kasi/db';
import { notFound } from '@kasi/domain';
import { eq } from 'drizzle-orm';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { resolveDays, salesDaysInput, type SalesDaysInput } from '../cash/report-days.ts';

export type SalesChannel = 'agent' | 'printed' | 'online' | 'payments';

export interface SalesRow {
  day: string;
  channel: SalesChannel;
  planName: string | null;
  agentName: string | null;
  currency: string;
  count: number;
  amountMinor: bigint;
}

interface RawRow extends Record<string, unknown> {
  day: string;
  channel: SalesChannel;
  planName: string | null;
  agentName: string | null;
  currency: string;
  count: number;
  amountMinor: string;
}

export const salesByChannelInput = salesDaysInput.omit({ agentId: true });

/** The tenant's today and zone: the defaults of a report range. */
export async function tenantCalendar(app: AppContext, actor: Actor) {
  const [tenant] = await app.db
    .select({
      timezone: tenants.timezone,
      today: sql<string>`to_char(now() at time zone ${tenants.timezone}, 'YYYY-MM-DD')`,
    })
    .from(tenants)
    .where(eq(tenants.id, actor.tenantId));
  if (!tenant) throw notFound('TENANT.NOT_FOUND', 'No such tenant');
  return tenant;
}

export async function salesByChannel(
  app: AppContext,
  actor: Actor,
  input: Omit<SalesDaysInput, 'agentId'> = {},
) {
  requirePermission(actor, 'cash.read');
  const days = salesByChannelInput.parse(input);
  const { timezone, today } = await tenantCalendar(app, actor);
  const { fromDay, toDay } = resolveDays(days, today);
  const t = actor.tenantId;
  // Local midnights to instants in PostgreSQL, which knows the zone's daylight-saving rules.
  const rows = await app.db.execute<RawRow>(sql`
    with b as (
      select (${fromDay}::date)::timestamp at time zone ${timezone} as from_at,
             (${toDay}::date + 1)::timestamp at time zone ${timezone} as to_at),
    sales as (
      select 'agent' as channel, s.sold_at as at, pl.name as plan_name, u.name as agent_name,
             s.currency, s.amount_minor as amount
        from voucher_sales s join vouchers v on v.id = s.voucher_id join plans pl on pl.id = v.plan_id
        join agents a on a.id = s.agent_id join users u on u.id = a.user_id, b
       where s.tenant_id = ${t} and s.sold_at >= b.from_at and s.sold_at < b.to_at
      union all
      select 'printed', v.first_used_at, pl.name, null, pl.currency, pl.price_minor
        from vouchers v join plans pl on pl.id = v.plan_id, b
       where v.tenant_id = ${t} and v.channel = 'printed' and v.first_used_at >= b.from_at and v.first_used_at < b.to_at
      union all
      select 'online', v.sold_at, pl.name, null, pl.currency, pl.price_minor
        from vouchers v join plans pl on pl.id = v.plan_id, b
       where v.tenant_id = ${t} and v.channel = 'online' and v.sold_at >= b.from_at and v.sold_at < b.to_at
      union all
      select 'payments', p.received_at, null, null, p.currency, p.amount_minor
        from payments p, b
       where p.tenant_id = ${t} and p.received_at >= b.from_at and p.received_at < b.to_at)
    select to_char(at at time zone ${timezone}, 'YYYY-MM-DD') as day, channel,
           plan_name as "planName", agent_name as "agentName", currency,
           count(*)::int as count, sum(amount)::text as "amountMinor"
      from sales
     group by 1, 2, 3, 4, 5
     order by 1, 2, 3 nulls first, 4 nulls first, 5`);
  const out: SalesRow[] = rows.map((r) => ({ ...r, amountMinor: BigInt(r.amountMinor) }));
  return { fromDay, toDay, timezone, rows: out };
}
