// Delivery reports for sent receipts, kept on the finished job's output (output.delivery, and
// output.error when the message failed) so the operator sees what happened without a new
// table. The one place Kasi writes into pg-boss's tables: a completed job's output, which
// pg-boss never reads again (it only deletes the row once the kind's retention is over).
// Twilio reports out of order: a status only replaces one that comes earlier in a message's life.
import { sql } from 'drizzle-orm';
import type { Executor } from '@kasi/db';
import { PGBOSS_SCHEMA } from '../jobs/job-queue.ts';
import { SALE_RECEIPT_JOB } from './sale-receipt.job.ts';

const RANK: Readonly<Record<string, number>> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
  read: 5,
};
const FAILED = new Set(['undelivered', 'failed']);

const rankOf = (column: ReturnType<typeof sql>) =>
  sql`case ${column} ${sql.join(
    Object.entries(RANK).map(([s, r]) => sql`when ${s} then ${r}`),
    sql` `,
  )} else 0 end`;

export interface DeliveryReport {
  jobId: string;
  messageSid: string;
  status: string;
  errorCode: string | null;
}

/** Records the report if it is news for that job's message; true when something changed. */
export async function recordDelivery(db: Executor, r: DeliveryReport): Promise<boolean> {
  const rank = RANK[r.status] ?? 0;
  const delivery = { status: r.status, errorCode: r.errorCode, at: new Date().toISOString() };
  const lastError = FAILED.has(r.status)
    ? `Twilio delivery ${r.status}${r.errorCode ? ` (error ${r.errorCode})` : ''}`
    : null;
  const rows = await db.execute(sql`
    update ${sql.identifier(PGBOSS_SCHEMA)}.job
    set output = jsonb_set(output, '{delivery}', ${JSON.stringify(delivery)}::jsonb)
      || coalesce(jsonb_strip_nulls(jsonb_build_object('error', ${lastError}::text)), '{}'::jsonb)
    where name = ${SALE_RECEIPT_JOB} and id = ${r.jobId}::uuid and state = 'completed'
      and output->'message'->>'sid' = ${r.messageSid}
      and ${rankOf(sql`output->'delivery'->>'status'`)} < ${rank}
    returning id`);
  return rows.length > 0;
}
