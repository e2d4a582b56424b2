// The dashboard's figures on real PostgreSQL, for a tenant in Nairobi (UTC+3): agent sales,
// printed cards activated, payments, sessions, routers, jobs, conflicts and billing, each
// checked against what was seeded through the real services, and days of the tenant's calendar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { invoices, radiusSessions, routers, tenants, vouchers } from '@kasi/db';
import type { Actor } from '../app-context.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { newAgentWorld, type AgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from '../sync/sync.service.ts';
import { createPrintRun } from '../vouchers/print/print-run.service.ts';
import { createNas } from '../nas/nas.service.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';
import { resumeSubscriber, suspendSubscriber } from '../subscribers/subscriber-status.service.ts';
import { createInvoiceDraft, finaliseInvoice } from '../billing/invoice.service.ts';
import { recordPayment } from '../billing/payment.service.ts';
import { saleReceiptJob } from '../sms/sale-receipt.job.ts';
import { dashboardSummary, type DashboardSummary } from './dashboard.service.ts';

const ZONE = 'Africa/Nairobi'; // UTC+3 all year
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Nairobi's local date now and the instant its day began. */
function nairobiToday(now = new Date()) {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(now);
  return { day, midnight: new Date(`${day}T00:00:00+03:00`) };
}

let t: TestApp;
let w: AgentWorld;
let owner: Actor;
let summary: DashboardSummary;
const { day, midnight } = nairobiToday();
// The tenant's day began at 21:00 UTC; a sale 90 minutes later (22:30 UTC, still "yesterday"
// in UTC) is today's. Near local midnight, a minute ago stands in for it.
const earlyToday = new Date(Math.min(midnight.getTime() + 90 * 60_000, Date.now() - 60_000));
const lateYesterday = new Date(midnight.getTime() - 30 * 60_000);
const monthBeganToday = day.endsWith('-01');

beforeAll(async () => {
  t = await createTestApp();
  w = await newAgentWorld(t, { codes: 20, priceMinor: 2000n });
  owner = w.operator;
  await t.app.db.update(tenants).set({ timezone: ZONE }).where(eq(tenants.id, owner.tenantId));

  // Agents: two sales today (one in the first hours of the local day), one late yesterday.
  const [a, b, c] = await w.lease(w.device, 3);
  if (!a || !b || !c) throw new Error('expected three leased codes');
  const stock = (await w.allCodes()).find((v) => v.channel === 'stock');
  if (!stock) throw new Error('expected a stock code');
  await pushOps(t.app, w.agentActor, {
    deviceId: w.device.id,
    ops: [
      await w.device.sale(a, 1, { soldAt: earlyToday.toISOString() }),
      await w.device.sale(b, 2, { soldAt: lateYesterday.toISOString(), amountMinor: 1500n }),
      await w.device.sale(c, 3),
      // Not on the device: a conflict for the operator to resolve.
      await w.device.sale(stock.code, 4),
    ],
  });

  // Printed cards: three printed, one first used today, one late yesterday, one never.
  await createPrintRun(t.app, owner, { batchId: w.batch.id, layout: 'a4', count: 3 });
  const printed = (await w.allCodes()).filter((v) => v.channel === 'printed').map((v) => v.id);
  expect(printed).toHaveLength(3);
  const setFirstLogin = (id: string | undefined, at: Date) =>
    t.app.db
      .update(vouchers)
      .set({ status: 'active', firstUsedAt: at })
      .where(inArray(vouchers.id, [id ?? '']));
  await setFirstLogin(printed[0], new Date(Date.now() - 60_000));
  await setFirstLogin(printed[1], lateYesterday);

  // Subscribers on a monthly plan: two active, one suspended, one suspended then restored.
  const plan = await createPlan(t.app, owner, {
    name: 'Home 10M',
    downloadBps: 10_000_000,
    uploadBps: 2_000_000,
    priceMinor: 250_000n,
    currency: 'KES',
    audience: 'subscriber',
  });
  const subs: string[] = [];
  for (const n of [1, 2, 3, 4]) {
    const s = await createSubscriber(t.app, owner, {
      username: `home-${n}`,
      password: 'secret-pass-1',
      planId: plan.id,
    });
    subs.push(s.id);
  }
  const [s1, s2, s3, s4] = subs as [string, string, string, string];
  await suspendSubscriber(t.app, owner, { id: s3, reason: 'unpaid' });
  await suspendSubscriber(t.app, owner, { id: s4, reason: 'unpaid' });
  await resumeSubscriber(t.app, owner, { id: s4 });

  // Invoices: 2 500.00 each to s1..s4; s1 pays in full, s2 pays 1 000.00 today.
  const invoice = async (subscriberId: string, amount: bigint) => {
    const draft = await createInvoiceDraft(t.app, owner, {
      subscriberId,
      lines: [{ kind: 'plan', description: 'Home 10M', unitPriceMinor: amount }],
    });
    return (await finaliseInvoice(t.app, owner, draft.id)).id;
  };
  const inv1 = await invoice(s1, 250_000n);
  const inv2 = await invoice(s2, 250_000n);
  const inv3 = await invoice(s3, 250_000n);
  const inv4 = await invoice(s4, 250_000n);
  await recordPayment(t.app, owner, {
    subscriberId: s1,
    amountMinor: 250_000n,
    currency: 'KES',
    method: 'cash',
    invoiceId: inv1,
  });
  await recordPayment(t.app, owner, {
    subscriberId: s2,
    amountMinor: 100_000n,
    currency: 'KES',
    method: 'cash',
    invoiceId: inv2,
  });
  // Past due by 10, 45 and 100 days of the tenant's calendar (due dates are local noon).
  const dueDaysAgo = (id: string, days: number) =>
    t.app.db
      .update(invoices)
      .set({ dueAt: new Date(midnight.getTime() - days * DAY + 12 * HOUR) })
      .where(eq(invoices.id, id));
  await dueDaysAgo(inv2, 10);
  await dueDaysAgo(inv3, 45);
  await dueDaysAgo(inv4, 100);

  // Sessions: one open for 2 h, one from 3 h to 1 h ago, one that ended 30 h ago.
  const { nas } = await createNas(t.app, owner, { name: 'tower', address: '203.0.113.77' });
  const now = Date.now();
  const session = (key: string, start: number, stop: number | null) => ({
    tenantId: owner.tenantId,
    nasId: nas.id,
    sessionKey: key,
    acctSessionId: key,
    userName: key,
    startedAt: new Date(start),
    lastUpdateAt: new Date(stop ?? now),
    stoppedAt: stop === null ? null : new Date(stop),
  });
  await t.app.db
    .insert(radiusSessions)
    .values([
      session('open', now - 2 * HOUR, null),
      session('closed', now - 3 * HOUR, now - HOUR),
      session('old', now - 32 * HOUR, now - 30 * HOUR),
    ]);

  // Routers as the health check leaves them: one down, one up, one never checked.
  const router = (name: string, reachable: boolean | null) => ({
    tenantId: owner.tenantId,
    name,
    host: '192.0.2.1',
    username: 'kasi',
    passwordEnc: 'sealed',
    health: reachable === null ? null : { reachable, checkedAt: new Date().toISOString() },
  });
  await t.app.db.insert(routers).values([router('down', false), router('up', true), router('new', null)]);

  // A receipt SMS waiting in pg-boss for this tenant.
  await t.app.jobs.enqueue(t.app.db, {
    kind: saleReceiptJob,
    data: { tenantId: owner.tenantId, saleId: '0190a3c1-0000-7000-8000-000000000001' },
  });

  // Another tenant's sales and sessions never show.
  const other = await newAgentWorld(t, { codes: 3 });
  const [x] = await other.lease(other.device, 1);
  await pushOps(t.app, other.agentActor, {
    deviceId: other.device.id,
    ops: [await other.device.sale(x ?? '', 1)],
  });

  summary = await dashboardSummary(t.app, owner);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const channel = (name: string) => summary.revenue.find((r) => r.channel === name);

describe('dashboard summary', () => {
  it('works in the tenant time zone and currency', () => {
    expect(summary).toMatchObject({ timezone: ZONE, currency: 'KES', today: day });
  });

  it('counts agent sales by the local day: 22:30 UTC is already the next day in Nairobi', () => {
    expect(channel('agent')).toMatchObject({ todayCount: 2, todayMinor: 4000n });
    expect(channel('agent')).toMatchObject(
      monthBeganToday ? { monthCount: 2, monthMinor: 4000n } : { monthCount: 3, monthMinor: 5500n },
    );
  });

  it('counts printed cards on their first login, at the plan price', () => {
    expect(channel('printed')).toMatchObject({ todayCount: 1, todayMinor: 2000n });
    expect(channel('printed')?.monthMinor).toBe(monthBeganToday ? 2000n : 4000n);
  });

  it('shows online sales as zero rather than leaving them out', () => {
    expect(channel('online')).toEqual({
      channel: 'online',
      todayCount: 0,
      todayMinor: 0n,
      monthCount: 0,
      monthMinor: 0n,
    });
  });

  it('counts subscriber payments', () => {
    expect(channel('payments')).toMatchObject({ todayCount: 2, todayMinor: 350_000n, monthMinor: 350_000n });
  });

  it('counts users online now and plots the last 24 hours in 15-minute buckets', () => {
    expect(summary.onlineNow).toBe(1);
    expect(summary.online24h).toHaveLength(97);
    expect(Math.max(...summary.online24h.map((p) => p.users))).toBe(2);
    expect(summary.online24h.at(-1)?.users).toBe(1);
    expect(summary.online24h.at(0)?.users).toBe(0);
    const steps = summary.online24h.slice(1).map((p, i) => p.at - (summary.online24h[i]?.at ?? 0));
    expect(new Set(steps)).toEqual(new Set([900]));
  });

  it('counts routers down, jobs waiting and conflicts to resolve', () => {
    expect(summary.routers).toEqual({ down: 1, total: 3 });
    expect(summary.jobs).toEqual({ waiting: 1, smsWaiting: 1, failed: 0 });
    // The sale below the lease price is flagged, the code not on the device refused: two to resolve.
    expect(summary.conflictsOpen).toBe(2);
  });

  it('gives MRR from active subscribers, this month’s billing and aged receivables', () => {
    expect(summary.billing).toEqual({
      mrrMinor: 750_000n, // three active × 2 500.00; the suspended one is not recurring
      billedMinor: 1_000_000n,
      collectedMinor: 350_000n,
      outstandingMinor: 650_000n,
      overdueCount: 3,
      overdueMinor: 650_000n,
      aged: { current: 0n, days1to30: 150_000n, days31to60: 250_000n, days61to90: 0n, days90plus: 250_000n },
      suspendedToday: 2,
      restoredToday: 1,
      suspenseCount: 0,
    });
  });

  it('is refused to an agent', async () => {
    await expect(dashboardSummary(t.app, w.agentActor)).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
  });
});
