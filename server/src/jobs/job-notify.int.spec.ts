// The NOTIFY wake-up (ADR 0020) on a real PostgreSQL with real pg-boss: a job of a `notify`
// kind is fetched as soon as its transaction commits although the workers poll only every
// 30 s; a rolled-back enqueue wakes nobody and leaves nothing; a notification that is missed
// (the listening connection killed, or a process that does not listen) still gets the job run
// by the polling fallback; and two listening processes woken by the same notification run each
// job once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { PgBoss } from 'pg-boss';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { TEST_JOB_SETTINGS } from '../testing/test-app-factory.ts';
import { defineJobKind, standardQueueRules, type AnyJobKind } from './job-kind.ts';
import { JobQueue } from './job-queue.ts';
import { defineJobHandler, startWorkers, type Workers } from './job-worker.ts';
import { jobsIn, untilFinished } from './job.testing.ts';

const data = z.object({ n: z.number().int() });
const urgent = defineJobKind({
  name: 'test.urgent',
  data,
  queue: (s) => standardQueueRules(s, { notify: true }),
});
// A hot path's kind: no NOTIFY in the enqueuing transaction, a coalesced wake-up after it.
const hot = defineJobKind({ name: 'test.hot', data, queue: (s) => standardQueueRules(s) });
const KINDS = [urgent, hot] as unknown as AnyJobKind[];

let t: TestApp;
const queues: JobQueue[] = [];
const running: Workers[] = [];

const queueOn = (o: { listen: boolean; pollSeconds: number }) => {
  const q = new JobQueue({
    connectionString: t.url,
    log: t.app.log,
    kinds: KINDS,
    settings: TEST_JOB_SETTINGS,
    poolSize: 2,
    pollingIntervalSeconds: o.pollSeconds,
    listen: o.listen,
  });
  queues.push(q);
  return q;
};

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  for (const w of running) await w.stop();
  for (const q of queues) await q.stop();
  await t.close();
});

/** A worker for `urgent` that records each run (n, and which worker ran it). */
async function worker(q: JobQueue, ran: { n: number; by: string }[], by: string) {
  const w = await startWorkers(
    q,
    [
      defineJobHandler({
        kind: urgent,
        batchSize: 5,
        async run({ data: d }) {
          ran.push({ n: (d as { n: number }).n, by });
          return { n: (d as { n: number }).n };
        },
      }),
    ],
    t.app.log,
  );
  running.push(w);
  return w;
}

async function until(ok: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return ok();
}

async function enqueue(q: JobQueue, n: number) {
  await t.app.db.transaction(async (tx) => {
    await q.enqueue(tx, { kind: urgent, data: { n } });
  });
}

async function clear(boss: PgBoss) {
  await boss.deleteAllJobs(urgent.name);
}

describe('NOTIFY wake-up', () => {
  it('a listening worker takes a job at its commit, not at its 30 s poll; a rollback wakes nobody', async () => {
    const q = queueOn({ listen: true, pollSeconds: 30 });
    const boss = await q.boss();
    await clear(boss);
    const ran: { n: number; by: string }[] = [];
    const w = await worker(q, ran, 'a');
    // The worker's first fetch (at start) finds nothing; from now on it waits 30 s between polls.
    await new Promise((r) => setTimeout(r, 500));
    await expect(
      t.app.db.transaction(async (tx) => {
        await q.enqueue(tx, { kind: urgent, data: { n: 0 } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await enqueue(q, 1);
    // Far sooner than the next poll could have found it.
    expect(await until(() => ran.length === 1, 10_000)).toBe(true);
    expect(ran).toEqual([{ n: 1, by: 'a' }]);
    expect((await jobsIn(boss, urgent.name)).map((j) => j.data)).toEqual([{ n: 1 }]);
    await w.stop();
  });

  it('a missed notification is made up: the LISTEN connection killed, the job still runs (reconnect or poll)', async () => {
    const q = queueOn({ listen: true, pollSeconds: 2 });
    const boss = await q.boss();
    await clear(boss);
    const ran: { n: number; by: string }[] = [];
    const w = await worker(q, ran, 'a');
    await new Promise((r) => setTimeout(r, 300));
    // Kill every connection that is listening (pg-boss's dedicated LISTEN client), then enqueue
    // at once: the notification goes to no one.
    const killed = await t.app.db.execute<{ ok: boolean }>(sql`
      select pg_terminate_backend(pid) as ok from pg_stat_activity
      where datname = current_database() and query ilike 'listen %'`);
    expect(killed.length).toBeGreaterThan(0);
    await enqueue(q, 7);
    expect(await until(() => ran.length === 1, 15_000)).toBe(true);
    expect(ran).toEqual([{ n: 7, by: 'a' }]);
    await w.stop();
  });

  it('a process that does not listen still runs the job at its poll', async () => {
    const q = queueOn({ listen: false, pollSeconds: 1 });
    const boss = await q.boss();
    await clear(boss);
    const ran: { n: number; by: string }[] = [];
    const w = await worker(q, ran, 'deaf');
    await enqueue(q, 3);
    expect(await until(() => ran.length === 1, 10_000)).toBe(true);
    const [job] = await untilFinished(boss, urgent.name);
    expect(job?.state).toBe('completed');
    await w.stop();
  });

  it('two listening processes woken by the same notifications run each job once', async () => {
    const a = queueOn({ listen: true, pollSeconds: 30 });
    const b = queueOn({ listen: true, pollSeconds: 30 });
    const boss = await a.boss();
    await clear(boss);
    const ran: { n: number; by: string }[] = [];
    await worker(a, ran, 'a');
    await worker(b, ran, 'b');
    await new Promise((r) => setTimeout(r, 500));
    await Promise.all(Array.from({ length: 40 }, (_, n) => enqueue(a, n)));
    const jobs = await untilFinished(boss, urgent.name, { count: 40, timeoutMs: 20_000 });
    expect(jobs.every((j) => j.state === 'completed')).toBe(true);
    expect(ran.map((r) => r.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, n) => n));
  });

  it('wake() after the commit of a kind without NOTIFY: one wake-up for many commits, the jobs run at once', async () => {
    const q = queueOn({ listen: true, pollSeconds: 30 });
    const boss = await q.boss();
    await boss.deleteAllJobs(hot.name);
    const ran: number[] = [];
    const w = await startWorkers(
      q,
      [
        defineJobHandler({
          kind: hot,
          batchSize: 20,
          async run({ data: d }) {
            ran.push((d as { n: number }).n);
          },
        }),
      ],
      t.app.log,
    );
    running.push(w);
    await new Promise((r) => setTimeout(r, 500));
    for (let n = 0; n < 10; n++) {
      await t.app.db.transaction((tx) => q.enqueue(tx, { kind: hot, data: { n } }));
    }
    // Without a wake-up nothing runs before the 30 s poll.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(ran).toEqual([]);
    for (let n = 0; n < 10; n++) q.wake(hot as unknown as AnyJobKind);
    expect(await until(() => ran.length === 10, 10_000)).toBe(true);
    expect([...ran].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
