// Retention is policy, run daily in bounded batches (retention.jobs.ts schedules it): closed
// accounting older than each tenant's limit (12 months unless the tenant set otherwise) is
// deleted, and sales forget their buyer's number after the configured number of days. Finished
// jobs are pg-boss's to delete: each kind's queue keeps them KASI_JOB_RETENTION_DAYS.
//
// Subscriber erasure (subscriber-privacy.service.ts) has no jobs to cover: sale receipts are
// for voucher buyers, whose number an agent typed at the sale; a receipt job's data is the sale
// id and its output the masked number, and neither names a subscriber.
import { sql } from 'drizzle-orm';
import { forEachTenant } from '@kasi/db';
import type { AppContext } from '../app-context.ts';

export const DEFAULT_RETENTION_MONTHS = 12;

/**
 * Runs one bounded pass (which returns the rows it touched) until a pass comes back short,
 * tenant by tenant: each tenant's rows are behind row-level security (ADR 0019).
 */
export async function untilShort(
  app: AppContext,
  batch: number,
  pass: () => Promise<unknown[]>,
): Promise<number> {
  const perTenant = await forEachTenant(app.db, async () => {
    let total = 0;
    for (;;) {
      const n = (await pass()).length;
      total += n;
      if (n < batch) return total;
    }
  });
  return perTenant.reduce((a, b) => a + b, 0);
}

export async function purgeExpiredAccounting(
  app: AppContext,
  now = new Date(),
  batch = 10_000,
): Promise<number> {
  return untilShort(app, batch, () =>
    app.db.execute(sql`
      delete from radius_sessions where id in (
        select s.id from radius_sessions s join tenants t on t.id = s.tenant_id
        where s.stopped_at is not null
          and s.stopped_at < ${now.toISOString()}::timestamptz
              - make_interval(months => coalesce((t.settings->>'accountingRetentionMonths')::int, ${DEFAULT_RETENTION_MONTHS}))
        limit ${batch})
      returning id`),
  );
}

/**
 * Clears the buyer's phone number from sales made more than `days` ago. The number is there
 * only to text the buyer their code; by then the receipt is long sent or given up, and the
 * sale keeps everything the cash reports need.
 */
export async function forgetBuyerPhones(
  app: AppContext,
  opts: { days: number; now?: Date; batch?: number },
): Promise<number> {
  const { days, now = new Date(), batch = 10_000 } = opts;
  return untilShort(app, batch, () =>
    app.db.execute(sql`
      update voucher_sales set buyer_phone = null where sale_id in (
        select sale_id from voucher_sales
        where buyer_phone is not null
          and sold_at < ${now.toISOString()}::timestamptz - make_interval(days => ${days})
        limit ${batch})
      returning sale_id`),
  );
}
