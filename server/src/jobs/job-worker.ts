// Runs handlers on pg-boss workers in this process. pg-boss claims each job for one worker
// (SKIP LOCKED), so any number of server processes can run the same handlers; a job whose
// worker died is taken again after the kind's expireInSeconds. The outcome each handler gives
// is stored as the job's output: what it returned when done, and on failure only the safe
// message and detail of a JobFailure (a JobFailure that is permanent gives up at once; anything
// else is retried with backoff until the kind's retry limit).
import type { PgBoss } from 'pg-boss';
import { withTenant } from '@kasi/db';
import type { Logger } from '../logger.ts';
import { describeFailure, JobFailure } from './job-failure.ts';
import type { JobKind } from './job-kind.ts';
import type { JobQueue } from './job-queue.ts';

export interface RunningJob<Data> {
  id: string;
  data: Data;
  /** This attempt, from 1. */
  attempt: number;
  /** Aborted when pg-boss no longer counts this worker as holding the job (expired, shutting down). */
  signal: AbortSignal;
}

export interface JobHandler<Data extends object = object> {
  kind: JobKind<Data>;
  /** Does the work; what it returns is kept as the finished job's output (no personal data in it). */
  run(job: RunningJob<Data>): Promise<Record<string, unknown> | void>;
  /**
   * Jobs of this kind one fetch takes (run side by side); while fetches come back full the
   * worker fetches again at once instead of waiting for the next poll.
   */
  batchSize?: number;
  /**
   * Independent fetch loops in this process (pg-boss `localConcurrency`, default 1): a batch
   * waits for its slowest job, so a latency-bound kind (the restore, whose Disconnect may wait
   * for a router) runs several loops and a slow job holds up only its own batch.
   */
  concurrency?: number;
}

/** Keeps the data type of a handler tied to its kind where handlers are listed together. */
export const defineJobHandler = <Data extends object>(h: JobHandler<Data>): JobHandler =>
  h as unknown as JobHandler;

type Outcome = { id: string; status: 'completed' | 'failed' | 'deadletter'; output: object };

async function runOne(h: JobHandler, log: Logger, job: RunningJob<unknown>): Promise<Outcome> {
  const jlog = log.child({ job: job.id, kind: h.kind.name, attempt: job.attempt });
  const parsed = h.kind.data.safeParse(job.data);
  if (!parsed.success) {
    jlog.error('job data does not match its kind; giving up');
    return { id: job.id, status: 'deadletter', output: { error: `Not a valid ${h.kind.name} job` } };
  }
  try {
    // A job about one tenant acts for it (row-level security, ADR 0019); a job over all
    // tenants (retention, reconciliation) runs unscoped and scopes each tenant itself.
    const data: object = parsed.data;
    const tenantId = 'tenantId' in data && typeof data.tenantId === 'string' ? data.tenantId : null;
    const run = () => h.run({ ...job, data: parsed.data });
    const output = await (tenantId ? withTenant(tenantId, run) : run());
    jlog.debug('job done');
    return { id: job.id, status: 'completed', output: output ?? {} };
  } catch (err) {
    const failure = describeFailure(err);
    if (!(err instanceof JobFailure)) jlog.error({ err }, 'job failed unexpectedly');
    else jlog.info({ reason: failure.message, permanent: failure.permanent }, 'job failed');
    return {
      id: job.id,
      status: failure.permanent ? 'deadletter' : 'failed',
      output: { ...failure.detail, error: failure.message },
    };
  }
}

export interface Workers {
  /** Kinds that have workers in this process. */
  readonly kinds: readonly string[];
  /** Stops taking jobs and waits for the ones running to be recorded. */
  stop(): Promise<void>;
}

export async function startWorkers(
  queue: JobQueue,
  handlers: readonly JobHandler[],
  log: Logger,
): Promise<Workers> {
  const boss: PgBoss = await queue.boss();
  const ids: { name: string; id: string }[] = [];
  for (const h of handlers) {
    const id = await boss.work(
      h.kind.name,
      {
        batchSize: h.batchSize ?? 5,
        localConcurrency: h.concurrency ?? 1,
        burstWhenBatchFull: true,
        pollingIntervalSeconds: queue.pollingIntervalSeconds,
        // With NOTIFY active pg-boss would relax the poll to 30 s; a missed notification (the
        // listener reconnecting, a notify lost) must still be picked up at the usual poll.
        notifyPollingIntervalSeconds: queue.pollingIntervalSeconds,
        perJobResults: true,
      },
      async (jobs) =>
        Promise.all(
          jobs.map((j) =>
            runOne(h, log, { id: j.id, data: j.data, attempt: j.retryCount + 1, signal: j.signal }),
          ),
        ),
    );
    ids.push({ name: h.kind.name, id });
  }
  return {
    kinds: handlers.map((h) => h.kind.name),
    async stop() {
      await Promise.all(ids.map(({ name, id }) => boss.offWork(name, { id, wait: true })));
    },
  };
}
