// What a kind of job is: its pg-boss queue name, the shape of its data (checked when it is
// enqueued, so a bad payload fails in the transaction that made it, not hours later in a
// worker), the queue's retry and retention rules, and, for work that recurs whatever the
// tenant, a schedule. Kinds are listed in job-kinds.ts; handlers are wired in job-wiring.ts.
import type { z } from 'zod';

/** Process-wide job settings (KASI_JOB_*), from which each kind derives its queue rules. */
export interface JobSettings {
  /** Attempts before a job gives up (the first run plus retries). */
  maxAttempts: number;
  /** Days a finished job (completed or failed) stays in pg-boss's tables before it is deleted. */
  retentionDays: number;
  /** First retry delay; later ones double, with jitter, up to `retryDelayMaxSeconds`. 0: at once. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
}

export const DEFAULT_JOB_SETTINGS: JobSettings = {
  maxAttempts: 8,
  retentionDays: 30,
  retryDelaySeconds: 30,
  retryDelayMaxSeconds: 3600,
};

/** The queue rules pg-boss applies to every job of a kind (see pg-boss's QueueOptions). */
export interface QueueRules {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax?: number;
  /** How long one attempt may run before pg-boss counts it failed (the old runner's lease). */
  expireInSeconds: number;
  /** How long a finished job is kept. */
  deleteAfterSeconds: number;
  /** How long a job may wait unstarted before pg-boss deletes it. */
  retentionSeconds: number;
  /**
   * Wake workers at once: the insert also runs `pg_notify` in the enqueuing transaction (so the
   * wake-up is delivered at its commit, never for a rolled-back job), and processes listening
   * (`JobQueueOptions.listen`) fetch straight away. Polling stays as the fallback for a missed
   * notification (ADR 0020). For latency-bound kinds only: the restore, a payment's effect.
   */
  notify?: boolean;
}

export interface JobKind<Data extends object> {
  /** The pg-boss queue name, `area.what` (e.g. `sms.sale_receipt`). Never renamed: jobs wait under it. */
  name: string;
  data: z.ZodType<Data>;
  queue(settings: JobSettings): QueueRules;
  /** Cron (5 fields) for a tenant-independent recurring job, in `tz` (default UTC). */
  schedule?: { cron: string; tz?: string; data: Data };
}

export type AnyJobKind = JobKind<object>;

const DAY = 86_400;

/** The usual rules: KASI_JOB_* retries with backoff, finished jobs kept KASI_JOB_RETENTION_DAYS. */
export function standardQueueRules(s: JobSettings, over: Partial<QueueRules> = {}): QueueRules {
  return {
    retryLimit: s.maxAttempts - 1,
    retryDelay: s.retryDelaySeconds,
    retryBackoff: s.retryDelaySeconds > 0,
    ...(s.retryDelaySeconds > 0 && { retryDelayMax: s.retryDelayMaxSeconds }),
    expireInSeconds: 120,
    deleteAfterSeconds: s.retentionDays * DAY,
    retentionSeconds: s.retentionDays * DAY,
    ...over,
  };
}

export const defineJobKind = <Data extends object>(kind: JobKind<Data>): JobKind<Data> => kind;
