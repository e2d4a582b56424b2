// The queue's guarantees on a real PostgreSQL: only due jobs of the asked kinds are claimed,
// a claim is a lease, and a runner whose lease ran out cannot record over the next one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { jobs } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { claimDueJobs, markJobDone, markJobFailed, scheduleJobRetry } from './job-queue.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function enqueue(tenantId: string, kind: string, runAfter = new Date()) {
  const [row] = await t.app.db
    .insert(jobs)
    .values({ tenantId, kind, payload: { n: 1 }, dedupeKey: `${kind}:${crypto.randomUUID()}`, runAfter })
    .returning();
  return row!;
}
const reload = async (id: bigint) => (await t.app.db.select().from(jobs).where(eq(jobs.id, id)))[0];

describe('job queue', () => {
  it('claims only due jobs of the kinds it was asked for', async () => {
    const { actor } = await t.newTenant();
    const due = await enqueue(actor.tenantId, 'test.a');
    const later = await enqueue(actor.tenantId, 'test.a', new Date(Date.now() + 60_000));
    const other = await enqueue(actor.tenantId, 'test.unhandled');
    const claimed = await claimDueJobs(t.app.db, { kinds: ['test.a'], limit: 10, leaseMs: 60_000 });
    expect(claimed.map((j) => j.id)).toEqual([due.id]);
    expect(claimed[0]).toMatchObject({ tenantId: actor.tenantId, kind: 'test.a', attempts: 1 });
    expect(await claimDueJobs(t.app.db, { kinds: ['test.a'], limit: 10, leaseMs: 60_000 })).toEqual([]);
    expect(await reload(later.id)).toMatchObject({ attempts: 0 });
    expect(await reload(other.id)).toMatchObject({ attempts: 0, doneAt: null });
    expect(await claimDueJobs(t.app.db, { kinds: [], limit: 10, leaseMs: 1 })).toEqual([]);
  });

  it('lets a runner whose lease ran out record nothing over the runner that took the job next', async () => {
    const { actor } = await t.newTenant();
    await enqueue(actor.tenantId, 'test.lease');
    const [slow] = await claimDueJobs(t.app.db, { kinds: ['test.lease'], limit: 1, leaseMs: 1 });
    await new Promise((r) => setTimeout(r, 20));
    const [fast] = await claimDueJobs(t.app.db, { kinds: ['test.lease'], limit: 1, leaseMs: 60_000 });
    expect(fast?.attempts).toBe(2);
    expect(await markJobDone(t.app.db, slow!, { by: 'slow' })).toBe(false);
    expect(await scheduleJobRetry(t.app.db, slow!, 'late', 1)).toBe(false);
    expect(await markJobFailed(t.app.db, slow!, 'late')).toBe(false);
    expect(await markJobDone(t.app.db, fast!, { by: 'fast' })).toBe(true);
    const row = await reload(fast!.id);
    expect(row?.payload).toEqual({ n: 1, by: 'fast' });
    expect(row?.lastError).toBeNull();
    expect(await markJobFailed(t.app.db, fast!, 'after done')).toBe(false);
  });
});
