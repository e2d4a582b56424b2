// Writes one chunk of the billing run in the caller's transaction, in a few statements
// whatever the chunk's size: draft invoices (unique per subscriber and period, so a row
// another run already wrote is skipped), their lines, the accounts' new periods and plan
// changes, the ledger entries, and — last, so the series row is held for the shortest time
// and always after the account locks — the invoice numbers, gap-free in subscriber order.
import { sql } from 'drizzle-orm';
import { invoiceLines, invoices } from '@kasi/db';
import type { AccountPlan, AccountState, PlannedInvoice } from './billing-run.plan.ts';
import type { BillingSettings } from './billing-settings.service.ts';
import type { Tx } from './billing-tx.ts';
import { buildLines } from './invoice-lines.ts';
import { ts } from './billing-calendar.ts';
import { settleAccount } from './settle.ts';

const json = (v: unknown) => sql`${JSON.stringify(v)}::json`;
const key = (subscriberId: string, start: Date) => `${subscriberId}:${start.getTime()}`;

async function insertInvoices(
  tx: Tx,
  tenantId: string,
  settings: BillingSettings,
  planned: PlannedInvoice[],
) {
  if (planned.length === 0) return [];
  const built = new Map(
    planned.map((p) => [key(p.subscriberId, p.periodStart), buildLines(settings, p.lines)]),
  );
  const rows = await tx
    .insert(invoices)
    .values(
      planned.map((p) => ({
        tenantId,
        subscriberId: p.subscriberId,
        currency: settings.currency,
        recurring: true,
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        dueAt: p.dueAt,
        ...built.get(key(p.subscriberId, p.periodStart))!.totals,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: invoices.id, subscriberId: invoices.subscriberId, periodStart: invoices.periodStart });
  const lines = rows.flatMap((r) =>
    built
      .get(key(r.subscriberId, r.periodStart!))!
      .lines.map((l, position) => ({ ...l, position, tenantId, invoiceId: r.id })),
  );
  if (lines.length) await tx.insert(invoiceLines).values(lines);
  return rows;
}

async function movePeriods(tx: Tx, work: { state: AccountState; plan: AccountPlan }[]) {
  const moves = work
    .filter((w) => w.plan.period)
    .map(({ state, plan }) => ({
      id: state.subscriberId,
      ps: plan.period!.start.toISOString(),
      pe: plan.period!.end.toISOString(),
      pv: plan.period!.plan.version,
      plan: plan.period!.plan.id,
      changed: plan.period!.planChanged,
    }));
  if (moves.length === 0) return;
  await tx.execute(sql`
    update billing_accounts a set period_start = v.ps, period_end = v.pe, plan_version = v.pv,
      next_plan_id = case when v.changed then null else a.next_plan_id end,
      next_plan_version = case when v.changed then null else a.next_plan_version end,
      updated_at = now()
    from json_to_recordset(${json(moves)}) as v(id uuid, ps timestamptz, pe timestamptz, pv int, plan uuid, changed boolean)
    where a.subscriber_id = v.id`);
  const changed = moves.filter((m) => m.changed);
  if (changed.length) {
    await tx.execute(sql`
      update subscribers s set plan_id = v.plan, updated_at = now()
      from json_to_recordset(${json(changed)}) as v(id uuid, plan uuid) where s.id = v.id`);
  }
}

async function numberAndPost(tx: Tx, tenantId: string, prefix: string, ids: string[], at: Date) {
  const k = ids.length;
  await tx.execute(sql`
    insert into ledger_entries (tenant_id, subscriber_id, kind, source_type, source_id, leg, amount_minor, currency)
    select tenant_id, subscriber_id, 'invoice', 'invoice', id, 'main', total_minor, currency from invoices
    where id in (select value::uuid from json_array_elements_text(${json(ids)}))
    on conflict do nothing`);
  await tx.execute(sql`
    with n as (
      insert into document_series (tenant_id, series, last_number) values (${tenantId}, 'invoice', ${k})
      on conflict (tenant_id, series) do update set last_number = document_series.last_number + ${k}
      returning last_number
    ), o as (
      select id, row_number() over (order by subscriber_id, period_start) as rn from invoices
      where id in (select value::uuid from json_array_elements_text(${json(ids)}))
    ), num as (select o.id, (select last_number from n) - ${k} + o.rn as n from o)
    update invoices i set number = num.n,
      display_number = ${prefix} || case when length(num.n::text) >= 6 then num.n::text else lpad(num.n::text, 6, '0') end,
      status = case when i.total_minor = 0 then 'paid' else 'open' end,
      issued_at = ${ts(at)}, updated_at = ${ts(at)}
    from num where i.id = num.id`);
}

/** Lets unused credit (an overpayment, a credit note) pay the new invoices at once. */
async function applyCredit(tx: Tx, tenantId: string, subscriberIds: string[]) {
  const withCredit = await tx.execute<{ subscriber_id: string }>(sql`
    select distinct subscriber_id from ledger_entries
    where tenant_id = ${tenantId} and kind in ('payment', 'credit_note')
      and subscriber_id in (select value::uuid from json_array_elements_text(${json(subscriberIds)}))`);
  for (const r of withCredit) await settleAccount(tx, tenantId, r.subscriber_id);
}

export async function writeChunk(
  tx: Tx,
  o: { tenantId: string; settings: BillingSettings; at: Date },
  work: { state: AccountState; plan: AccountPlan }[],
): Promise<number> {
  const planned = work.flatMap((w) => w.plan.invoices);
  const rows = await insertInvoices(tx, o.tenantId, o.settings, planned);
  await movePeriods(tx, work);
  if (rows.length === 0) return 0;
  await numberAndPost(
    tx,
    o.tenantId,
    o.settings.invoicePrefix,
    rows.map((r) => r.id),
    o.at,
  );
  await applyCredit(tx, o.tenantId, [...new Set(rows.map((r) => r.subscriberId))]);
  return rows.length;
}
