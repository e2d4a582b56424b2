// The inbox's group commit: concurrent deliveries share transactions, yet each event is stored
// once per tenant, gets one apply job, is credited to one delivery, and a delivery the database
// refuses fails alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { PaymentEvent } from '@kasi/payments';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { inboxOf } from './webhook-inbox.ts';

let t: TestApp;
let tenantA: string;
let tenantB: string;
let tenantC: string;
beforeAll(async () => {
  t = await createTestApp();
  tenantA = (await t.newTenant()).actor.tenantId;
  tenantB = (await t.newTenant()).actor.tenantId;
  tenantC = (await t.newTenant()).actor.tenantId;
});
afterAll(() => t.close());

const event = (eventId: string): PaymentEvent => ({
  eventId,
  type: 'succeeded',
  providerRef: `ref-${eventId}`,
  attemptId: null,
  amountMinor: 100n,
  currency: 'KES',
  receipt: null,
  resultCode: '0',
  reason: null,
});

const deliver = (tenantId: string, eventId: string) =>
  inboxOf(t.app).store({
    tenantId,
    gateway: 'stripe',
    events: [event(eventId)],
    rawBody: `{"id":"${eventId}"}`,
  });

const rowsOf = (tenantId: string) =>
  t.app.db.execute<{ n: number; transactions: number }>(sql`
    select count(*)::int as n, count(distinct xmin::text)::int as transactions
    from payment_events where tenant_id = ${tenantId}`);

const jobsFor = async (tenantId: string) => {
  const [row] = await t.app.db.execute<{ n: number }>(sql`
    select count(*)::int as n from pgboss.job
    where name = 'payment.apply' and data->>'tenantId' = ${tenantId}`);
  return row?.n ?? 0;
};

describe('webhook inbox', () => {
  it('stores each event once per tenant with one job, across shared transactions, when 90 deliveries come at once', async () => {
    // 30 events for A, each delivered twice, and 30 for B with the same provider ids (another
    // tenant's account: not duplicates), all at once and interleaved.
    const ids = Array.from({ length: 30 }, (_, i) => `evt_${i}`);
    const work = [
      ...ids.map((id) => ['A', id] as const),
      ...ids.map((id) => ['B', id] as const),
      ...[...ids].reverse().map((id) => ['A', id] as const),
    ];
    const stored = await Promise.all(work.map(([who, id]) => deliver(who === 'A' ? tenantA : tenantB, id)));
    const storedBy = (who: 'A' | 'B') =>
      stored.filter((_, i) => work[i]![0] === who).reduce((a, b) => a + b, 0);
    expect(storedBy('A')).toBe(30);
    expect(storedBy('B')).toBe(30);
    const [a] = await rowsOf(tenantA);
    const [b] = await rowsOf(tenantB);
    expect(a?.n).toBe(30);
    expect(b?.n).toBe(30);
    // Group commit happened: far fewer transactions than deliveries.
    expect((a?.transactions ?? 0) + (b?.transactions ?? 0)).toBeLessThan(60);
    expect(await jobsFor(tenantA)).toBe(30);
    expect(await jobsFor(tenantB)).toBe(30);
    // A replay later stores nothing and enqueues nothing.
    expect(await deliver(tenantA, 'evt_7')).toBe(0);
    expect(await jobsFor(tenantA)).toBe(30);
  });

  it('fails only the delivery the database refuses, not the ones committed beside it', async () => {
    const good = Array.from({ length: 12 }, (_, i) => `ok_${i}`);
    const results = await Promise.allSettled([
      ...good.slice(0, 6).map((id) => deliver(tenantB, id)),
      deliver(tenantB, 'bad\u0000id'),
      ...good.slice(6).map((id) => deliver(tenantB, id)),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[6]?.status).toBe('rejected');
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === 1)).toHaveLength(12);
    const [row] = await t.app.db.execute<{ n: number }>(sql`
      select count(*)::int as n from payment_events where tenant_id = ${tenantB} and provider_event_id like 'ok_%'`);
    expect(row?.n).toBe(12);
  });

  it('stores no event when its job cannot be written, and the connections go on working', async () => {
    // The jobs' INSERT goes with the COMMIT in one write: if it fails, the events must not stay.
    await t.app.db.execute(sql`
      create function test_refuse_job() returns trigger language plpgsql as $$
      begin
        if new.data->>'tenantId' = ${sql.raw(`'${tenantC}'`)} then raise exception 'no jobs for this tenant'; end if;
        return new;
      end $$`);
    await t.app.db.execute(sql`
      create trigger refuse_job before insert on pgboss.job
      for each row execute function test_refuse_job()`);
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => deliver(tenantC, `refused_${i}`)),
      );
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      const [c] = await rowsOf(tenantC);
      expect(c?.n).toBe(0);
      expect(await jobsFor(tenantC)).toBe(0);
    } finally {
      await t.app.db.execute(sql`drop trigger refuse_job on pgboss.job`);
      await t.app.db.execute(sql`drop function test_refuse_job()`);
    }
    // No connection was left in the aborted transaction: 24 deliveries later, all stored.
    const later = await Promise.all(Array.from({ length: 24 }, (_, i) => deliver(tenantC, `later_${i}`)));
    expect(later.reduce((a, b) => a + b, 0)).toBe(24);
    const [c] = await rowsOf(tenantC);
    expect(c?.n).toBe(24);
    expect(await jobsFor(tenantC)).toBe(24);
  });
});
