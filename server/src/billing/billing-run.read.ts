// Reads the accounts the billing run looks at, in the shape `planAccount` takes. Only
// accounts that may have work on day D are read (no period yet, a period ending within the
// issue horizon, or a current period not invoiced), so a second run for a day reads little.
import { sql } from 'drizzle-orm';
import type { Executor } from '@kasi/db';
import type { BillingMode, PeriodUnit } from '@kasi/domain';
import type { AccountState, PlanTerms } from './billing-run.plan.ts';
import { ts } from './billing-calendar.ts';

interface Row extends Record<string, unknown> {
  id: string;
  since: Date | string;
  period_start: Date | string | null;
  period_end: Date | string | null;
  billed: string[] | null;
  ever: boolean;
  plan: PlanJson;
  next_plan: PlanJson | null;
}

interface PlanJson {
  id: string;
  name: string;
  version: number;
  price_minor: string | number;
  billing_period_unit: PeriodUnit;
  billing_period_count: number;
  billing_mode: BillingMode;
  installation_fee_minor: string | number | null;
}

const toPlan = (p: PlanJson): PlanTerms => ({
  id: p.id,
  name: p.name,
  version: p.version,
  priceMinor: BigInt(p.price_minor),
  unit: p.billing_period_unit,
  count: p.billing_period_count,
  mode: p.billing_mode,
  installationFeeMinor: p.installation_fee_minor === null ? null : BigInt(p.installation_fee_minor),
});

const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));

export interface ReadOptions {
  tenantId: string;
  statuses: readonly string[];
  /** Accounts whose period ends before this may have work. */
  horizon: Date;
  /** Only these subscribers, locked for the rest of the transaction. */
  lockIds?: readonly string[];
}

const PLAN_JSON = (alias: string) =>
  sql.raw(`json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'version', ${alias}.version,
    'price_minor', ${alias}.price_minor::text, 'billing_period_unit', ${alias}.billing_period_unit,
    'billing_period_count', ${alias}.billing_period_count, 'billing_mode', ${alias}.billing_mode,
    'installation_fee_minor', ${alias}.installation_fee_minor::text)`);

export async function readAccounts(db: Executor, o: ReadOptions): Promise<AccountState[]> {
  const statuses = JSON.stringify(o.statuses);
  const filter = o.lockIds
    ? sql`s.id in (select value::uuid from json_array_elements_text(${JSON.stringify(o.lockIds)}::json))`
    : sql`(a.period_end is null or a.period_end < ${ts(o.horizon)}
          or not exists (select 1 from invoices c where c.subscriber_id = s.id
                         and c.recurring and c.period_start = a.period_start))`;
  const rows = await db.execute<Row>(sql`
    select s.id, s.created_at as since, a.period_start, a.period_end,
      (select array_agg((extract(epoch from i.period_start) * 1000)::bigint::text) from invoices i
        where i.subscriber_id = s.id and i.recurring
          and i.period_start >= coalesce(a.period_start, '-infinity'::timestamptz)) as billed,
      exists (select 1 from invoices e where e.subscriber_id = s.id and e.recurring) as ever,
      ${PLAN_JSON('p')} as plan,
      case when np.id is null then null else ${PLAN_JSON('np')} end as next_plan
    from subscribers s
    ${o.lockIds ? sql`join` : sql`left join`} billing_accounts a on a.subscriber_id = s.id
    join plans p on p.id = s.plan_id
    left join plans np on np.id = a.next_plan_id
    where s.tenant_id = ${o.tenantId}
      and s.status in (select value from json_array_elements_text(${statuses}::json))
      and ${filter}
    order by s.id
    ${o.lockIds ? sql`for update of a` : sql``}`);
  return rows.map((r) => ({
    subscriberId: r.id,
    since: date(r.since),
    plan: toPlan(r.plan),
    nextPlan: r.next_plan ? toPlan(r.next_plan) : null,
    periodStart: r.period_start === null ? null : date(r.period_start),
    periodEnd: r.period_end === null ? null : date(r.period_end),
    billedStarts: (r.billed ?? []).map(Number),
    everBilled: r.ever,
  }));
}

/** Every subscriber the run bills gets an account row (one statement, idempotent). */
export async function ensureAccounts(db: Executor, tenantId: string, statuses: readonly string[]) {
  await db.execute(sql`
    insert into billing_accounts (subscriber_id, tenant_id, currency)
    select s.id, s.tenant_id, t.currency from subscribers s join tenants t on t.id = s.tenant_id
    where s.tenant_id = ${tenantId}
      and s.status in (select value from json_array_elements_text(${JSON.stringify(statuses)}::json))
    on conflict do nothing`);
}
