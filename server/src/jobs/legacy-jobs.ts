// Before pg-boss, jobs waited in our own `jobs` table. At start the server moves the ones not
// finished into pg-boss — in one transaction with their deletion, through the same enqueue and
// dedupe key a sync push uses, so a crash or a second process moves each once — and deletes
// the finished ones (they hold only masked numbers, and nothing shows them). The emptied table
// stays for one release so the previous version still finds it; a later migration drops it.
import { sql } from 'drizzle-orm';
import { forEachTenant } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { saleReceiptDedupeKey, saleReceiptJob } from '../sms/sale-receipt.job.ts';

export async function moveLegacyJobs(app: Pick<AppContext, 'db' | 'jobs' | 'log'>): Promise<number> {
  // Tenant by tenant: the old jobs table is behind row-level security (ADR 0019).
  const moved = await forEachTenant(app.db, () => moveTenantJobs(app));
  return moved.reduce((a, b) => a + b, 0);
}

async function moveTenantJobs(app: Pick<AppContext, 'db' | 'jobs' | 'log'>): Promise<number> {
  return app.db.transaction(async (tx) => {
    const rows = await tx.execute(sql`
      delete from jobs
      where done_at is not null or failed_at is not null or kind = ${saleReceiptJob.name}
      returning tenant_id, payload, done_at, failed_at`);
    let moved = 0;
    for (const r of rows) {
      if (r.done_at !== null || r.failed_at !== null) continue;
      const saleId = (r.payload as { saleId?: unknown } | null)?.saleId;
      const data = saleReceiptJob.data.safeParse({ tenantId: r.tenant_id, saleId });
      if (!data.success) {
        app.log.warn('a waiting receipt job without a usable sale id was dropped');
        continue;
      }
      await app.jobs.enqueue(tx, {
        kind: saleReceiptJob,
        data: data.data,
        dedupeKey: saleReceiptDedupeKey(data.data.saleId),
      });
      moved++;
    }
    if (rows.length)
      app.log.info({ moved, deleted: rows.length - moved }, 'jobs moved from the old jobs table to pg-boss');
    return moved;
  });
}
