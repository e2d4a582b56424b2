// Writes one chunk of the billing run in the caller's transaction, in a few statements
// whatever the chunk's size: draft invoices (unique per subscriber and period, so a row
// another run already wrote is skipped), their lines, the accounts' new periods and plan
// changes, the ledger entries, and — last, so the series row is held for the shortest time
// and always after the account locks — the invoice numbers, gap-free in subscriber order;
// then credit applied and one "invoice issued" text job per invoice (one insert).
import { sql } from 'drizzle-orm';
import type { AccountPlan, AccountState, PlannedInvoice } from './billing-run.plan.ts';
import type { BillingSettings } from './billing-settings.service.ts';
import type { Tx } from './billing-tx.ts';
import { buildLines } from './invoice-lines.ts';
import { ts } from './billing-calendar.ts';
import { onInvoicesIssued } from './billing-events.ts';
import { settleAccount } from './settle.ts';

const json = (v: unknown) => sql`${JSON.stringify(v)}::json`;
const key = (subscriberId: string, start: Date) => `${subscriberId}:${start.getTime()}`;

/** Lines and totals per distinct line set (thousands of accounts share a few plans). */
function lineBuilder(settings: BillingSettings) {
  const memo = new Map<string, ReturnType<typeof buildLines>>();
  return (p: PlannedInvoice) => {
    const k = JSON.stringify(p.lines.map((l) => [l.kind, String(l.unitPriceMinor), l.quantity, l.taxRateId]));
    let built = memo.get(k);
    if (!built) {
      built = buildLines(settings, p.lines);
      memo.set(k, built);
    }
    return {
      totals: built.totals,
      lines: built.lines.map((l, i) => ({ ...l, description: p.lines[i]!.description })),
    };
  };
}

const str = (v: bigint | number | null | undefined) => (v === null || v === undefined ? null : String(v));

/** Draft invoices and their lines, two statements over JSON (drizzle's builder is slow at this size). */
async function insertInvoices(
  tx: Tx,
  tenantId: string,
  settings: BillingSettings,
  planned: PlannedInvoice[],
) {
  if (planned.length === 0) return [];
  const build = lineBuilder(settings);
  const built = new Map(planned.map((p) => [key(p.subscriberId, p.periodStart), build(p)]));
  const rows = await tx.execute<{ id: string; subscriber_id: string; period_start: string | Date }>(sql`
    insert into invoices (tenant_id, subscriber_id, currency, recurring, period_start, period_end, due_at,
      subtotal_minor, tax_minor, total_minor)
    select ${tenantId}, v.s, ${settings.currency}, true, v.ps, v.pe, v.due, v.sub, v.tax, v.total
    from json_to_recordset(${json(
      planned.map((p) => {
        const t = built.get(key(p.subscriberId, p.periodStart))!.totals;
        return {
          s: p.subscriberId,
          ps: p.periodStart.toISOString(),
          pe: p.periodEnd.toISOString(),
          due: p.dueAt.toISOString(),
          sub: str(t.subtotalMinor),
          tax: str(t.taxMinor),
          total: str(t.totalMinor),
        };
      }),
    )}) as v(s uuid, ps timestamptz, pe timestamptz, due timestamptz, sub bigint, tax bigint, total bigint)
    on conflict do nothing
    returning id, subscriber_id, period_start`);
  const inserted = rows.map((r) => ({
    id: r.id,
    subscriberId: r.subscriber_id,
    periodStart: r.period_start instanceof Date ? r.period_start : new Date(r.period_start),
  }));
  const lines = inserted.flatMap((r) =>
    built.get(key(r.subscriberId, r.periodStart))!.lines.map((l, position) => ({
      i: r.id,
      p: position,
      k: l.kind,
      d: l.description,
      q: l.quantity,
      u: str(l.unitPriceMinor),
      tid: l.taxRateId ?? null,
      tn: l.taxName ?? null,
      bps: l.taxRateBps ?? 0,
      inc: l.taxInclusive ?? false,
      n: str(l.netMinor),
      tx: str(l.taxMinor),
      tot: str(l.totalMinor),
    })),
  );
  if (lines.length) {
    await tx.execute(sql`
      insert into invoice_lines (tenant_id, invoice_id, position, kind, description, quantity, unit_price_minor,
        tax_rate_id, tax_name, tax_rate_bps, tax_inclusive, net_minor, tax_minor, total_minor)
      select ${tenantId}, v.i, v.p, v.k, v.d, v.q, v.u, v.tid, v.tn, v.bps, v.inc, v.n, v.tx, v.tot
      from json_to_recordset(${json(lines)}) as v(i uuid, p int, k text, d text, q int, u bigint, tid text,
        tn text, bps int, inc boolean, n bigint, tx bigint, tot bigint)`);
  }
  return inserted;
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
  const ids = rows.map((r) => r.id);
  await numberAndPost(tx, o.tenantId, o.settings.invoicePrefix, ids, o.at);
  await applyCredit(tx, o.tenantId, [...new Set(rows.map((r) => r.subscriberId))]);
  await onInvoicesIssued(tx, o.tenantId, ids);
  return rows.length;
}
