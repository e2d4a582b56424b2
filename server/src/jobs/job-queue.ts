// The jobs table as a queue. A runner claims due rows with FOR UPDATE SKIP LOCKED and, in
// the same statement, leases them (attempts + 1, run_after pushed past the lease), so the
// claim commits at once and no transaction stays open while a handler talks to the world.
// Every later write is fenced on the attempt it claimed: a runner whose lease ran out and
// was re-claimed by another can no longer finish, retry or fail the job. Finishing a job
// (done, or given up) also strips the personal data its payload held only to do the work, in
// the same statement: no finished row ever holds it, even for a moment.
import { sql } from 'drizzle-orm';
import type { Executor } from '@kasi/db';

export interface ClaimedJob {
  id: bigint;
  tenantId: string;
  kind: string;
  payload: unknown;
  /** This claim's attempt number, from 1. */
  attempts: number;
}

export async function claimDueJobs(
  db: Executor,
  opts: { kinds: readonly string[]; limit: number; leaseMs: number },
): Promise<ClaimedJob[]> {
  if (opts.kinds.length === 0) return [];
  const rows = await db.execute(sql`
    update jobs j set attempts = j.attempts + 1,
      run_after = now() + make_interval(secs => ${opts.leaseMs / 1000})
    from (select id from jobs
          where done_at is null and failed_at is null and run_after <= now()
            and kind in (${sql.join(
              opts.kinds.map((k) => sql`${k}`),
              sql`, `,
            )})
          order by run_after, id limit ${opts.limit}
          for update skip locked) due
    where j.id = due.id
    returning j.id, j.tenant_id, j.kind, j.payload, j.attempts`);
  return rows.map((r) => ({
    id: BigInt(String(r.id)),
    tenantId: String(r.tenant_id),
    kind: String(r.kind),
    payload: r.payload,
    attempts: Number(r.attempts),
  }));
}

/** Personal data a finished job no longer needs: keys to drop, and what to keep instead. */
export interface PayloadRedaction {
  remove: readonly string[];
  /** Merged in after the keys are dropped, e.g. a masked phone number for the operator. */
  add: Record<string, unknown>;
}

/** The payload a finishing job keeps: redacted, then `patch` merged in. */
function finishedPayload(patch: Record<string, unknown>, redaction: PayloadRedaction | undefined) {
  const kept = (redaction?.remove ?? []).reduce((p, key) => sql`(${p} - ${key}::text)`, sql`payload`);
  return sql`${kept} || ${JSON.stringify({ ...redaction?.add, ...patch })}::jsonb`;
}

const fence = (job: ClaimedJob) =>
  sql`id = ${job.id} and attempts = ${job.attempts} and done_at is null and failed_at is null`;

/** Done; `patch` is merged into the payload (e.g. the provider's message id). */
export async function markJobDone(
  db: Executor,
  job: ClaimedJob,
  patch: Record<string, unknown> = {},
  redaction?: PayloadRedaction,
) {
  const rows = await db.execute(sql`
    update jobs set done_at = now(), last_error = null, payload = ${finishedPayload(patch, redaction)}
    where ${fence(job)} returning id`);
  return rows.length > 0;
}

export async function scheduleJobRetry(db: Executor, job: ClaimedJob, error: string, delayMs: number) {
  const rows = await db.execute(sql`
    update jobs set last_error = ${error}, run_after = now() + make_interval(secs => ${delayMs / 1000})
    where ${fence(job)} returning id`);
  return rows.length > 0;
}

/** Gives up: the job is kept for the operator with its last error, and never claimed again. */
export async function markJobFailed(
  db: Executor,
  job: ClaimedJob,
  error: string,
  redaction?: PayloadRedaction,
) {
  const rows = await db.execute(sql`
    update jobs set failed_at = now(), last_error = ${error}, payload = ${finishedPayload({}, redaction)}
    where ${fence(job)} returning id`);
  return rows.length > 0;
}
