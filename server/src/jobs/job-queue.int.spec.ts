// The queue's guarantees on a real PostgreSQL with real pg-boss: a job commits with the
// caller's transaction or not at all, a dedupe key makes a second enqueue a no-op, failures
// are retried and then given up with only a safe message kept, two processes run each job
// once, and schedules are registered (tenant-independent ones at start, per-tenant ones in
// the caller's transaction).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { TEST_JOB_SETTINGS } from '../testing/test-app-factory.ts';
import { permanentFailure, transientFailure } from './job-failure.ts';
import { defineJobKind, standardQueueRules, type AnyJobKind } from './job-kind.ts';
import { JOB_KINDS } from './job-kinds.ts';
import { JobQueue } from './job-queue.ts';
import { defineJobHandler, startWorkers, type JobHandler, type Workers } from './job-worker.ts';
import { jobsIn, untilFinished } from './job.testing.ts';

const data = z.object({ n: z.number().int() });
const echo = defineJobKind({ name: 'test.echo', data, queue: (s) => standardQueueRules(s) });
const flaky = defineJobKind({ name: 'test.flaky', data, queue: (s) => standardQueueRules(s) });
const daily = defineJobKind({
  name: 'test.daily',
  data: z.object({ tenantId: z.string() }),
  queue: (s) => standardQueueRules(s),
});
const KINDS = [echo, flaky, daily] as unknown as AnyJobKind[];

let t: TestApp;
let q: JobQueue;
let boss: PgBoss;
const running: Workers[] = [];
const queueOn = (url: string) =>
  new JobQueue({
    connectionString: url,
    log: t.app.log,
    kinds: KINDS,
    settings: TEST_JOB_SETTINGS,
    poolSize: 3,
    pollingIntervalSeconds: 0.5,
  });

beforeAll(async () => {
  t = await createTestApp();
  q = queueOn(t.url);
  boss = await q.boss();
});
afterAll(async () => {
  for (const w of running) await w.stop();
  await q.stop();
  await t.close();
});

async function work(queue: JobQueue, ...handlers: JobHandler[]) {
  const w = await startWorkers(queue, handlers, t.app.log);
  running.push(w);
  return w;
}

describe('enqueue', () => {
  it('commits a job with the caller’s transaction, leaves none when it rolls back, and runs it once', async () => {
    await expect(
      t.app.db.transaction(async (tx) => {
        await q.enqueue(tx, { kind: echo, data: { n: 1 } });
        throw new Error('the sale failed');
      }),
    ).rejects.toThrow('the sale failed');
    await t.app.db.transaction(async (tx) => {
      const id = await q.enqueue(tx, { kind: echo, data: { n: 2 } });
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      // Not visible outside the transaction until it commits.
      expect(await jobsIn(boss, echo.name)).toEqual([]);
    });
    expect((await jobsIn(boss, echo.name)).map((j) => j.data)).toEqual([{ n: 2 }]);

    const ran: number[] = [];
    const w = await work(
      q,
      defineJobHandler({
        kind: echo,
        async run(job) {
          ran.push(job.data.n);
          return { doubled: job.data.n * 2 };
        },
      }),
    );
    const [job] = await untilFinished(boss, echo.name);
    await new Promise((r) => setTimeout(r, 700)); // one more poll: nothing runs twice
    await w.stop();
    expect(ran).toEqual([2]);
    expect(job).toMatchObject({ state: 'completed', retryCount: 0, output: { doubled: 4 } });
  });

  it('adds one job for one dedupe key, however often and in however many transactions it is enqueued', async () => {
    const send = (key: string, n: number) =>
      t.app.db.transaction((tx) => q.enqueue(tx, { kind: flaky, data: { n }, dedupeKey: key }));
    const first = await send('sale-1', 1);
    expect(first).not.toBeNull();
    expect(await send('sale-1', 2)).toBeNull();
    await t.app.db.transaction(async (tx) => {
      expect(await q.enqueue(tx, { kind: flaky, data: { n: 3 }, dedupeKey: 'sale-1' })).toBeNull();
    });
    const other = await send('sale-2', 4);
    expect(other).not.toBe(first);
    const jobs = await jobsIn(boss, flaky.name);
    expect(jobs.map((j) => j.data).sort((a, b) => Number(a['n']) - Number(b['n']))).toEqual([
      { n: 1 },
      { n: 4 },
    ]);
    await boss.deleteAllJobs(flaky.name);
  });

  it('adds many jobs in one statement with the same transaction and dedupe rules', async () => {
    const many = (keys: string[]) => keys.map((k, i) => ({ data: { n: 1000 + i }, dedupeKey: k }));
    await expect(
      t.app.db.transaction(async (tx) => {
        expect(await q.enqueueMany(tx, flaky, many(['m1', 'm2']))).toBe(2);
        throw new Error('run failed');
      }),
    ).rejects.toThrow('run failed');
    expect(await jobsIn(boss, flaky.name)).toEqual([]);
    await t.app.db.transaction(async (tx) => {
      expect(await q.enqueueMany(tx, flaky, many(['m1', 'm2', 'm1']))).toBe(2);
    });
    expect(await t.app.db.transaction((tx) => q.enqueueMany(tx, flaky, many(['m2', 'm3'])))).toBe(1);
    expect(await t.app.db.transaction((tx) => q.enqueueMany(tx, flaky, []))).toBe(0);
    expect((await jobsIn(boss, flaky.name)).map((j) => j.data['n']).sort()).toEqual([1000, 1001, 1001]);
    await boss.deleteAllJobs(flaky.name);
  });

  it('refuses data that does not fit the kind, and a kind that is not registered, before writing', async () => {
    const ghost = defineJobKind({ name: 'test.ghost', data, queue: (s) => standardQueueRules(s) });
    await t.app.db.transaction(async (tx) => {
      await expect(q.enqueue(tx, { kind: echo, data: { n: 'x' } as never })).rejects.toThrow();
      await expect(q.enqueue(tx, { kind: ghost, data: { n: 1 } })).rejects.toThrow(/not registered/);
    });
  });

  it('holds a job until its start time', async () => {
    const at = new Date(Date.now() + 3_600_000);
    await t.app.db.transaction((tx) =>
      q.enqueue(tx, { kind: daily, data: { tenantId: 'x' }, startAfter: at }),
    );
    const [job] = await jobsIn(boss, daily.name);
    expect(job?.startAfter.getTime()).toBe(at.getTime());
    await boss.deleteAllJobs(daily.name);
  });
});

describe('failures', () => {
  it('retries what may pass, gives up after the last attempt, and keeps only the safe message', async () => {
    const calls = new Map<number, number>();
    const w = await work(
      q,
      defineJobHandler({
        kind: flaky,
        batchSize: 3,
        async run(job) {
          calls.set(job.data.n, (calls.get(job.data.n) ?? 0) + 1);
          if (job.data.n === 1)
            throw transientFailure('Provider error 20503 (HTTP 503)', { phoneMasked: '+2547…78' });
          if (job.data.n === 2) throw permanentFailure('Provider error 21211 (HTTP 400)');
          if (job.data.n === 3) throw new Error('connect failed for +254712345678');
          if (job.data.n === 4 && job.attempt < 2) throw transientFailure('try later');
          return { attempt: job.attempt };
        },
      }),
    );
    await t.app.db.transaction(async (tx) => {
      for (const n of [1, 2, 3, 4]) await q.enqueue(tx, { kind: flaky, data: { n } });
    });
    const jobs = await untilFinished(boss, flaky.name, { count: 4 });
    await w.stop();
    const byN = new Map(jobs.map((j) => [j.data['n'], j]));
    expect(calls).toEqual(
      new Map([
        [1, 3],
        [2, 1],
        [3, 3],
        [4, 2],
      ]),
    );
    expect(byN.get(1)).toMatchObject({
      state: 'failed',
      retryCount: 2,
      output: { error: 'Provider error 20503 (HTTP 503)', phoneMasked: '+2547…78' },
    });
    expect(byN.get(2)).toMatchObject({
      state: 'failed',
      output: { error: 'Provider error 21211 (HTTP 400)' },
    });
    expect(byN.get(3)?.output).toEqual({ error: 'Unexpected Error (details in the server log)' });
    expect(JSON.stringify(byN.get(3))).not.toContain('712345678');
    expect(byN.get(4)).toMatchObject({ state: 'completed', retryCount: 1, output: { attempt: 2 } });
  });
});

describe('several processes', () => {
  it('runs each job once when two processes work the same queue', async () => {
    const other = queueOn(t.url);
    const seen: { n: number; by: string }[] = [];
    const handler = (by: string) =>
      defineJobHandler({
        kind: echo,
        batchSize: 3,
        async run(job) {
          seen.push({ n: job.data.n, by });
          await new Promise((r) => setTimeout(r, 25));
        },
      });
    await t.app.db.transaction(async (tx) => {
      for (let n = 100; n < 124; n++) await q.enqueue(tx, { kind: echo, data: { n } });
    });
    try {
      const [a, b] = await Promise.all([work(q, handler('a')), work(other, handler('b'))]);
      await untilFinished(boss, echo.name, { count: 25 });
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await other.stop();
    }
    expect(seen.map((s) => s.n).sort()).toEqual(Array.from({ length: 24 }, (_, i) => 100 + i));
    expect(new Set(seen.map((s) => s.by))).toEqual(new Set(['a', 'b']));
  });
});

describe('schedules', () => {
  it('registers every tenant-independent schedule when pg-boss starts', async () => {
    const app = await t.app.jobs.boss();
    const schedules = await app.getSchedules();
    const expected = JOB_KINDS.filter((k) => k.schedule);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    for (const kind of expected) {
      expect(schedules.find((s) => s.name === kind.name)).toMatchObject({
        cron: kind.schedule?.cron,
        timezone: kind.schedule?.tz ?? 'UTC',
      });
    }
    const queues = await app.getQueues();
    for (const kind of JOB_KINDS) expect(queues.map((x) => x.name)).toContain(kind.name);
  });

  it('schedules per tenant at a local hour in the caller’s transaction, and replaces by key', async () => {
    const tenant = '5f0c0d4e-0000-4000-8000-000000000001';
    await expect(
      t.app.db.transaction(async (tx) => {
        await q.schedule(tx, {
          kind: daily,
          cron: '0 6 * * *',
          tz: 'Africa/Nairobi',
          key: tenant,
          data: { tenantId: tenant },
        });
        throw new Error('settings refused');
      }),
    ).rejects.toThrow('settings refused');
    expect(await boss.getSchedules(daily.name)).toEqual([]);
    for (const cron of ['0 6 * * *', '30 5 * * *']) {
      await t.app.db.transaction((tx) =>
        q.schedule(tx, { kind: daily, cron, tz: 'Africa/Nairobi', key: tenant, data: { tenantId: tenant } }),
      );
    }
    expect(await boss.getSchedules(daily.name)).toMatchObject([
      { key: tenant, cron: '30 5 * * *', timezone: 'Africa/Nairobi', data: { tenantId: tenant } },
    ]);
    await t.app.db.transaction((tx) => q.unschedule(tx, daily as unknown as AnyJobKind, tenant));
    expect(await boss.getSchedules(daily.name)).toEqual([]);
  });
});

describe('retention of finished jobs', () => {
  it('keeps a finished job KASI_JOB_RETENTION_DAYS and lets pg-boss delete it after', async () => {
    const [queue] = await boss.getQueues([echo.name]);
    expect(queue).toMatchObject({ deleteAfterSeconds: TEST_JOB_SETTINGS.retentionDays * 86_400 });
    const ids = (await jobsIn(boss, echo.name)).map((j) => j.id);
    expect(ids.length).toBeGreaterThan(1);
    const [old, ...recent] = ids;
    // The first finished a day past retention; the rest just now.
    await t.app.db.execute(sql`
      update pgboss.job set completed_on = now() - make_interval(days => ${TEST_JOB_SETTINGS.retentionDays + 1})
      where name = ${echo.name} and id = ${old}::uuid`);
    await boss.supervise(echo.name);
    expect((await jobsIn(boss, echo.name)).map((j) => j.id).sort()).toEqual(recent.sort());
  });
});
