// Retention is policy: closed accounting older than each tenant's limit (12 months unless
// the tenant set otherwise) is deleted, in bounded batches, by a daily job.
import { sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.ts';

export const DEFAULT_RETENTION_MONTHS = 12;

export async function purgeExpiredAccounting(
  app: AppContext,
  now = new Date(),
  batch = 10_000,
): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await app.db.execute<{ id: string }>(sql`
      delete from radius_sessions where id in (
        select s.id from radius_sessions s join tenants t on t.id = s.tenant_id
        where s.stopped_at is not null
          and s.stopped_at < ${now.toISOString()}::timestamptz
              - make_interval(months => coalesce((t.settings->>'accountingRetentionMonths')::int, ${DEFAULT_RETENTION_MONTHS}))
        limit ${batch})
      returning id`);
    total += rows.length;
    if (rows.length < batch) return total;
  }
}
