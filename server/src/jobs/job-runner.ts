// Drains the jobs table inside the server process: claims due jobs of the kinds it has
// handlers for, runs them, and records done / retry later / gave up. Any number of runners
// (processes) may share the table: claims skip rows another runner holds, and a lease
// longer than any handler keeps a job with one runner while it runs. Kinds without a
// handler (SMS before Twilio is configured) stay queued untouched. A handler that needs
// personal data (a buyer's phone) says how to redact it; the runner does so as it records the
// job done or given up.
import type { Database } from '@kasi/db';
import type { Logger } from '../logger.ts';
import { retryDelayMs, type BackoffOptions } from './backoff.ts';
import { describeFailure, JobFailure } from './job-failure.ts';
import {
  claimDueJobs,
  markJobDone,
  markJobFailed,
  scheduleJobRetry,
  type ClaimedJob,
  type PayloadRedaction,
} from './job-queue.ts';

/** Does the work; may return fields to merge into the job's payload (e.g. a message id). */
export type JobHandler = ((job: ClaimedJob) => Promise<Record<string, unknown> | void>) & {
  /**
   * What of the payload to strip once the job is finished, whatever its outcome. Must accept
   * any payload, even one the handler itself rejected.
   */
  redact?: (payload: unknown) => PayloadRedaction;
};

export interface JobRunnerOptions {
  db: Database;
  log: Logger;
  handlers: Readonly<Record<string, JobHandler>>;
  /** Kinds that have no handler on purpose, with the reason, logged once at start. */
  dormant?: Readonly<Record<string, string>>;
  pollMs?: number;
  batchSize?: number;
  /** How long a claimed job belongs to this runner; longer than any handler may take. */
  leaseMs?: number;
  maxAttempts?: number;
  backoff?: BackoffOptions;
}

export class JobRunner {
  readonly #o: Required<Omit<JobRunnerOptions, 'dormant'>> & Pick<JobRunnerOptions, 'dormant'>;
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> | null = null;
  #stopped = false;

  constructor(options: JobRunnerOptions) {
    this.#o = {
      pollMs: 5000,
      batchSize: 10,
      leaseMs: 120_000,
      maxAttempts: 8,
      backoff: { baseMs: 30_000, maxMs: 3_600_000 },
      ...options,
    };
  }

  start(): void {
    if (this.#timer || this.#stopped) return;
    for (const [kind, reason] of Object.entries(this.#o.dormant ?? {})) {
      this.#o.log.warn({ kind }, `${reason}; these jobs stay queued`);
    }
    this.#schedule(0);
  }

  /** Stops polling and waits for jobs already running to be recorded. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
  }

  /** One claim-and-run round; resolves to the number of jobs it ran. */
  async runOnce(): Promise<number> {
    const jobs = await claimDueJobs(this.#o.db, {
      kinds: Object.keys(this.#o.handlers),
      limit: this.#o.batchSize,
      leaseMs: this.#o.leaseMs,
    });
    await Promise.all(jobs.map((job) => this.#run(job)));
    return jobs.length;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#tick = this.runOnce()
        .then(
          // A full batch means more may be due: go again at once.
          (n) => (n >= this.#o.batchSize ? 0 : this.#o.pollMs),
          (err: unknown) => (this.#o.log.error({ err }, 'job runner round failed'), this.#o.pollMs),
        )
        .then((next) => {
          this.#tick = null;
          if (!this.#stopped) this.#schedule(next);
        });
    }, delayMs);
    this.#timer.unref();
  }

  async #run(job: ClaimedJob): Promise<void> {
    const log = this.#o.log.child({ job: job.id.toString(), kind: job.kind, attempt: job.attempts });
    const handler = this.#o.handlers[job.kind];
    const redaction = handler?.redact?.(job.payload);
    try {
      if (!handler) throw new Error(`no handler for ${job.kind}`);
      const patch = await handler(job);
      if (!(await markJobDone(this.#o.db, job, patch ?? {}, redaction)))
        log.warn('job lease lost before it finished');
      else log.debug('job done');
    } catch (err) {
      const failure = describeFailure(err);
      if (!(err instanceof JobFailure)) log.error({ err }, 'job failed unexpectedly');
      if (failure.permanent || job.attempts >= this.#o.maxAttempts) {
        await markJobFailed(this.#o.db, job, failure.message, redaction);
        log.warn({ reason: failure.message }, 'job gave up');
        return;
      }
      const delayMs = retryDelayMs(job.attempts, this.#o.backoff);
      await scheduleJobRetry(this.#o.db, job, failure.message, delayMs);
      log.info({ reason: failure.message, retryInMs: delayMs }, 'job will be retried');
    }
  }
}
