// SMS retention: texts and numbers older than the tenant's `smsRetentionDays` (90 by default)
// are anonymised by the daily `retention.sms` schedule — the row stays for the outbox's
// figures and cost, a message never sent is given up, one being sent is left alone — and
// inbound messages go the same way. Each tenant's own limit counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { smsInbound, smsMessages, withTenant } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { billingWorld } from '../billing/billing.testing.ts';
import { updateTenantSettings } from '../tenants/tenant.service.ts';
import { readTenantSettings } from '../settings/tenant-settings.service.ts';
import { JOB_KINDS } from '../jobs/job-kinds.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { untilFinished } from '../jobs/job.testing.ts';
import { purgeExpiredSms, smsRetentionHandler, smsRetentionJob } from './sms-retention.job.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T03:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

async function message(
  tenantId: string,
  opts: { days: number; status: 'queued' | 'sending' | 'delivered'; subscriberId?: string },
) {
  const [row] = await withTenant(tenantId, () =>
    t.app.db
      .insert(smsMessages)
      .values({
        tenantId,
        subscriberId: opts.subscriberId ?? null,
        event: 'otp',
        language: 'en',
        toNumber: '+254712345678',
        body: 'Your code is 123456',
        status: opts.status,
        reason: opts.status === 'queued' ? 'SMS is not configured' : null,
        segments: 1,
        costMicros: opts.status === 'delivered' ? 7_900n : null,
        costCurrency: opts.status === 'delivered' ? 'USD' : null,
        createdAt: daysAgo(opts.days),
      })
      .returning(),
  );
  return row!.id;
}

const rowOf = (tenantId: string, id: string) =>
  withTenant(tenantId, async () => {
    const [r] = await t.app.db.select().from(smsMessages).where(eq(smsMessages.id, id));
    return r!;
  });

describe('SMS retention', () => {
  it('anonymises outbox and inbound messages past each tenant’s retention, keeps the rest, and gives up unsent ones', async () => {
    const a = await billingWorld(t);
    const b = await billingWorld(t);
    await updateTenantSettings(t.app, b.actor, { smsRetentionDays: 7 });
    expect((await readTenantSettings(t.app, b.actor)).smsRetentionDays).toBe(7);
    expect((await readTenantSettings(t.app, a.actor)).smsRetentionDays).toBe(90);
    const amina = await a.newSubscriber();
    const A = a.actor.tenantId;
    const B = b.actor.tenantId;

    const oldDelivered = await message(A, { days: 100, status: 'delivered', subscriberId: amina });
    const oldQueued = await message(A, { days: 95, status: 'queued' });
    const oldSending = await message(A, { days: 95, status: 'sending' });
    const recentA = await message(A, { days: 80, status: 'delivered', subscriberId: amina });
    const weekOldB = await message(B, { days: 10, status: 'delivered' });
    const recentB = await message(B, { days: 3, status: 'delivered' });
    await withTenant(A, () =>
      t.app.db.insert(smsInbound).values([
        {
          tenantId: A,
          provider: 'twilio',
          providerMessageId: 'SM-old',
          fromNumber: '+254712345678',
          body: 'BAL',
          keyword: 'BAL',
          createdAt: daysAgo(120),
        },
        {
          tenantId: A,
          provider: 'twilio',
          providerMessageId: 'SM-new',
          fromNumber: '+254712345678',
          body: 'BAL',
          keyword: 'BAL',
          createdAt: daysAgo(1),
        },
      ]),
    );

    expect(await purgeExpiredSms(t.app, NOW)).toBe(4);

    expect(await rowOf(A, oldDelivered)).toMatchObject({
      body: '',
      toNumber: '+254…78',
      subscriberId: null,
      status: 'delivered',
      event: 'otp',
      segments: 1,
      costMicros: 7_900n,
      costCurrency: 'USD',
    });
    expect(await rowOf(A, oldQueued)).toMatchObject({
      body: '',
      toNumber: '+254…78',
      status: 'skipped',
      reason: 'Not sent within the SMS retention period',
    });
    for (const [tenant, id] of [
      [A, oldSending],
      [A, recentA],
      [B, recentB],
    ] as const) {
      expect(await rowOf(tenant, id)).toMatchObject({
        body: 'Your code is 123456',
        toNumber: '+254712345678',
      });
    }
    expect((await rowOf(A, recentA)).subscriberId).toBe(amina);
    expect(await rowOf(B, weekOldB)).toMatchObject({ body: '', toNumber: '+254…78', status: 'delivered' });
    const inbound = await withTenant(A, () =>
      t.app.db.select().from(smsInbound).where(eq(smsInbound.tenantId, A)).orderBy(smsInbound.createdAt),
    );
    expect(inbound.map((i) => [i.providerMessageId, i.fromNumber, i.body, i.keyword])).toEqual([
      ['SM-old', '+254…78', '', 'BAL'],
      ['SM-new', '+254712345678', 'BAL', 'BAL'],
    ]);

    // Done once: the next day's run finds nothing more to do.
    expect(await purgeExpiredSms(t.app, NOW)).toBe(0);
  });

  it('runs daily from its pg-boss schedule', async () => {
    expect(JOB_KINDS).toContain(smsRetentionJob);
    const boss = await t.app.jobs.boss();
    const schedules = await boss.getSchedules();
    expect(schedules.find((s) => s.name === smsRetentionJob.name)?.cron).toBe('47 2 * * *');
    const w = await billingWorld(t);
    const id = await message(w.actor.tenantId, { days: 400, status: 'delivered' });
    const workers = await startWorkers(t.app.jobs, [smsRetentionHandler(t.app)], t.app.log);
    try {
      await t.app.db.transaction((tx) => t.app.jobs.enqueue(tx, { kind: smsRetentionJob, data: {} }));
      const [job] = await untilFinished(boss, smsRetentionJob.name);
      expect(job).toMatchObject({ state: 'completed' });
      expect((job!.output as { anonymised: number }).anonymised).toBeGreaterThanOrEqual(1);
    } finally {
      await workers.stop();
    }
    expect((await rowOf(w.actor.tenantId, id)).body).toBe('');
  });
});
