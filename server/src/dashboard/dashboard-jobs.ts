// Jobs of one tenant waiting or given up, read from pg-boss's own table through pg-boss's own
// connection (its schema is pg-boss's, ADR 0009). Every job's data names its tenant.
import type { AppContext } from '../app-context.ts';
import { PGBOSS_SCHEMA } from '../jobs/job-queue.ts';

export interface JobCounts {
  /** Queued or waiting for a retry. */
  waiting: number;
  /** Of those, SMS (receipts, reminders). */
  smsWaiting: number;
  /** Gave up after their last attempt, still kept by pg-boss's retention. */
  failed: number;
}

export async function tenantJobCounts(app: AppContext, tenantId: string): Promise<JobCounts | null> {
  try {
    const boss = await app.jobs.boss();
    const result = await boss.getDb().executeSql(
      `select count(*) filter (where state in ('created', 'retry'))::int as waiting,
              count(*) filter (where state in ('created', 'retry') and name like 'sms.%')::int as "smsWaiting",
              count(*) filter (where state = 'failed')::int as failed
         from ${PGBOSS_SCHEMA}.job where data->>'tenantId' = $1`,
      [tenantId],
    );
    const row = result.rows[0] as JobCounts | undefined;
    return row ?? { waiting: 0, smsWaiting: 0, failed: 0 };
  } catch (e) {
    // The rest of the dashboard is still worth showing when the job store cannot be read.
    app.log.warn({ err: e }, 'dashboard: job counts unavailable');
    return null;
  }
}
