// Test helpers for jobs: read a queue's jobs through pg-boss's own API and wait until they
// are finished, as an operator's view would.
import type { JobWithMetadata, PgBoss } from 'pg-boss';

export type StoredJob<T = Record<string, unknown>> = JobWithMetadata<T> & {
  output: Record<string, unknown> | null;
};

export async function jobsIn<T = Record<string, unknown>>(
  boss: PgBoss,
  name: string,
  match?: object,
): Promise<StoredJob<T>[]> {
  return (await boss.findJobs<T>(name, match ? { data: match } : {})) as StoredJob<T>[];
}

const finished = (j: { state: string }) => ['completed', 'failed', 'cancelled'].includes(j.state);

/** Waits until every job of `name` matching `match` is finished (at least `count` of them). */
export async function untilFinished<T = Record<string, unknown>>(
  boss: PgBoss,
  name: string,
  opts: { match?: object; count?: number; timeoutMs?: number } = {},
): Promise<StoredJob<T>[]> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  for (;;) {
    const jobs = await jobsIn<T>(boss, name, opts.match);
    if (jobs.length >= (opts.count ?? 1) && jobs.every(finished)) return jobs;
    if (Date.now() > deadline)
      throw new Error(`jobs of ${name} not finished: ${jobs.map((j) => j.state).join(', ') || 'none'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A tenant's jobs of a kind, as pg-boss holds them (its data names the tenant). */
export async function tenantJobs(
  app: { jobs: { boss(): Promise<PgBoss> } },
  name: string,
  tenantId: string,
): Promise<StoredJob[]> {
  return jobsIn(await app.jobs.boss(), name, { tenantId });
}
