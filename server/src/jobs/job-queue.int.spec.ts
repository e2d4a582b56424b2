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

  it('strips personal data in the statement that finishes a job, done or given up, and not before', async () => {
    const { actor } = await t.newTenant();
    const redaction = { remove: ['phone', 'code'], add: { phoneMasked: '+2547…78' } };
    const insert = async () =>
      (
        await t.app.db
          .insert(jobs)
          .values({
            tenantId: actor.tenantId,
            kind: 'test.pii',
            payload: { saleId: 's', phone: '+254712345678', code: 'KA7Q3MXRT' },
            dedupeKey: `test.pii:${crypto.randomUUID()}`,
          })
          .returning()
      )[0]!;
    const done = await insert();
    const failed = await insert();
    const claim = () => claimDueJobs(t.app.db, { kinds: ['test.pii'], limit: 1, leaseMs: 60_000 });
    const [a] = await claim();
    const [b] = await claim();
    expect(await scheduleJobRetry(t.app.db, b!, 'try later', 60_000)).toBe(true);
    expect((await reload(b!.id))?.payload).toMatchObject({ phone: '+254712345678' });

    expect(await markJobDone(t.app.db, a!, { sid: 'SM1' }, redaction)).toBe(true);
    expect(await markJobFailed(t.app.db, b!, 'refused', redaction)).toBe(true);
    for (const id of [done.id, failed.id]) {
      const row = await reload(id);
      expect(row?.doneAt ?? row?.failedAt).toBeInstanceOf(Date);
      expect(row?.payload).not.toHaveProperty('phone');
      expect(row?.payload).not.toHaveProperty('code');
      expect(JSON.stringify(row?.payload)).not.toContain('712345678');
      expect(row?.payload).toMatchObject({ saleId: 's', phoneMasked: '+2547…78' });
    }
    expect((await reload(done.id))?.payload).toMatchObject({ sid: 'SM1' });
  });

  it('leaves the payload whole when a runner whose lease ran out tries to finish', async () => {
    const { actor } = await t.newTenant();
    await t.app.db.insert(jobs).values({
      tenantId: actor.tenantId,
      kind: 'test.pii-lease',
      payload: { phone: '+254712345678' },
      dedupeKey: `test.pii-lease:${crypto.randomUUID()}`,
    });
    const [slow] = await claimDueJobs(t.app.db, { kinds: ['test.pii-lease'], limit: 1, leaseMs: 1 });
    await new Promise((r) => setTimeout(r, 20));
    const [fast] = await claimDueJobs(t.app.db, { kinds: ['test.pii-lease'], limit: 1, leaseMs: 60_000 });
    const redaction = { remove: ['phone'], add: {} };
    expect(await markJobFailed(t.app.db, slow!, 'late', redaction)).toBe(false);
    // The runner that holds the job now still needs the number.
    expect((await reload(fast!.id))?.payload).toEqual({ phone: '+254712345678' });
  });
});
