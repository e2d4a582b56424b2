import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, billingAccounts, invoices, paymentAttempts, subscribers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { tenantJobs, untilFinished } from '../jobs/job.testing.ts';
import { setSubscriberStatus } from '../subscribers/subscriber-status.service.ts';
import type { Actor } from '../app-context.ts';
import { billingHandlers } from './billing-jobs.ts';
import { runBilling } from './billing-run.ts';
import { runWorld } from './billing-run.testing.ts';
import { updateBillingSettings } from './billing-settings.service.ts';
import { restoreAfterPayment } from './dunning-actions.ts';
import { promiseToPay, setNeverSuspend, updateDunningPolicy } from './dunning-policy.service.ts';
import { hasPendingPayment, holdForPendingPayment, releasePendingPayment } from './pending-payment.ts';
import { recordPayment } from './payment.service.ts';
import { balanceOf } from './ledger.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const noon = (day: string) => new Date(`${day}T12:00:00Z`);
const run = (tenantId: string, day: string) => runBilling(t.app, { tenantId, day, at: noon(day) });

async function statusOf(id: string) {
  const [s] = await t.app.db.select().from(subscribers).where(eq(subscribers.id, id));
  return s?.status;
}

async function openInvoiceOf(subscriberId: string) {
  const [inv] = await t.app.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.subscriberId, subscriberId), eq(invoices.kind, 'invoice')));
  return inv!;
}

const pay = (actor: Actor, subscriberId: string, amountMinor: bigint, currency = 'KES', invoiceId?: string) =>
  recordPayment(t.app, actor, { subscriberId, amountMinor, currency, method: 'cash', invoiceId });

describe('dunning', () => {
  it('reminds on the policy days, suspends after grace but never on a weekend or holiday, and spares never-suspend, a promise to pay, a pending payment and a paid-up account', async () => {
    const w = await runWorld(t);
    const tenantId = w.actor.tenantId;
    await updateBillingSettings(t.app, w.actor, { issueDaysBeforeDue: 3, dueDays: 0 });
    await updateDunningPolicy(t.app, w.actor, { graceDays: 3, holidays: ['2026-12-07'] });
    // 1 December 2026 is a Tuesday: due then, grace to the 4th; 5–6 are a weekend, the 7th a holiday.
    const [plain, never, promised, pending, paid, partly] = await w.subscribers(6, '2026-12-01T08:00:00Z');
    expect((await run(tenantId, '2026-12-01')).issued).toBe(6);
    await setNeverSuspend(t.app, w.actor, { subscriberId: never!, neverSuspend: true });
    await pay(w.actor, paid!, 250_000n);
    await pay(w.actor, partly!, 100_000n);
    await holdForPendingPayment(t.app.db, {
      tenantId,
      subscriberId: pending!,
      source: 'mpesa:ws_CO_1',
      expiresAt: new Date('2026-12-20T00:00:00Z'),
    });
    expect(await hasPendingPayment(t.app.db, pending!, noon('2026-12-08'))).toBe(true);

    const reminders = await tenantJobs(t.app, 'billing.reminder', tenantId);
    expect(reminders.map((j) => j.data['offset'])).toEqual([0, 0, 0, 0, 0, 0]);
    for (const day of ['2026-12-02', '2026-12-03']) expect((await run(tenantId, day)).reminders).toEqual([]);
    const fourth = await run(tenantId, '2026-12-04');
    // Day +3: everyone still owing gets the third reminder, once however often the run goes.
    expect(fourth.remindersQueued).toBe(5);
    expect((await run(tenantId, '2026-12-04')).remindersQueued).toBe(0);
    expect(fourth.suspended).toBe(0);
    await promiseToPay(t.app, w.actor, { subscriberId: promised!, days: 10 }, noon('2026-12-04'));

    for (const day of ['2026-12-05', '2026-12-06', '2026-12-07']) {
      const r = await run(tenantId, day);
      expect(r.quietDay).toBe(true);
      expect(r.suspended).toBe(0);
    }
    const eighth = await run(tenantId, '2026-12-08');
    expect(eighth.suspensions.map((s) => s.subscriberId).sort()).toEqual([plain!, partly!].sort());
    expect(eighth.suspended).toBe(2);
    expect(await statusOf(plain!)).toBe('suspended');
    const [s] = await t.app.db.select().from(subscribers).where(eq(subscribers.id, plain!));
    expect(s?.statusReason).toBe('overdue');
    for (const id of [never, promised, pending, paid]) expect(await statusOf(id!)).toBe('active');

    // The promise runs to the end of the 14th; the pending payment counts until released.
    expect((await run(tenantId, '2026-12-14')).suspended).toBe(0);
    await releasePendingPayment(t.app.db, tenantId, 'mpesa:ws_CO_1');
    const fifteenth = await run(tenantId, '2026-12-15');
    expect(fifteenth.suspensions.map((x) => x.subscriberId).sort()).toEqual([promised!, pending!].sort());
    const audits = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, 'billing.promise_to_pay')));
    expect(audits).toHaveLength(1);
  });

  it.each([
    ['KES', 99_999n],
    ['UGX', 33_333n],
    ['KWD', 12_345n],
  ])(
    'never leaves a fully paid %s invoice partly paid, nor suspends a zero balance',
    async (currency, price) => {
      const w = await runWorld(t, { currency, plan: { priceMinor: price } });
      await updateBillingSettings(t.app, w.actor, {
        taxRates: [
          { id: 'vat', name: 'VAT 16%', rateBps: 1600, inclusive: true },
          { id: 'ex', name: 'Excise 15%', rateBps: 1500, inclusive: false },
        ],
        defaultTaxRateId: currency === 'UGX' ? 'ex' : 'vat',
      });
      const [sub] = await w.subscribers(1, '2026-12-01T08:00:00Z');
      await run(w.actor.tenantId, '2026-12-01');
      const inv = await openInvoiceOf(sub!);
      await pay(w.actor, sub!, inv.totalMinor, currency, inv.id);
      const after = await openInvoiceOf(sub!);
      expect(after.status).toBe('paid');
      expect(after.allocatedMinor).toBe(after.totalMinor);
      expect(await balanceOf(t.app.db, w.actor.tenantId, sub!)).toBe(0n);
      expect((await run(w.actor.tenantId, '2026-12-08')).suspended).toBe(0);
      expect(await statusOf(sub!)).toBe('active');
    },
  );
});

describe('restore', () => {
  it('a payment that clears the overdue debt restores the account through a job, recording the Disconnect outcome; a manual suspension stays', async () => {
    const w = await runWorld(t);
    const tenantId = w.actor.tenantId;
    const [overdue, manual] = await w.subscribers(2, '2026-12-01T08:00:00Z');
    await run(tenantId, '2026-12-01');
    await setSubscriberStatus(t.app, w.actor, { id: manual!, status: 'suspended', reason: 'asked to pause' });
    expect((await run(tenantId, '2026-12-08')).suspended).toBe(1);
    const [suspended] = await t.app.db
      .select()
      .from(billingAccounts)
      .where(eq(billingAccounts.subscriberId, overdue!));
    expect(suspended?.dunningSuspendedAt).not.toBeNull();
    expect(suspended?.lastDisconnect).toMatchObject({ action: 'suspend', results: [] });

    const workers = await startWorkers(t.app.jobs, billingHandlers(t.app), t.app.log);
    try {
      const inv = await openInvoiceOf(overdue!);
      const paid = await pay(w.actor, overdue!, inv.totalMinor, 'KES', inv.id);
      const boss = await t.app.jobs.boss();
      const [job] = await untilFinished(boss, 'subscriber.restore', { match: { subscriberId: overdue } });
      expect(job?.output).toMatchObject({ restored: true, disconnects: [] });
      expect(job?.data).toMatchObject({ sourceId: paid.payment.id });
      expect(await statusOf(overdue!)).toBe('active');
      const [acct] = await t.app.db
        .select()
        .from(billingAccounts)
        .where(eq(billingAccounts.subscriberId, overdue!));
      expect(acct?.dunningSuspendedAt).toBeNull();
      expect(acct?.lastDisconnect).toMatchObject({ action: 'restore' });

      const manualInv = await openInvoiceOf(manual!);
      await pay(w.actor, manual!, manualInv.totalMinor, 'KES', manualInv.id);
      expect(await tenantJobs(t.app, 'subscriber.restore', tenantId)).toHaveLength(1);
      expect(await statusOf(manual!)).toBe('suspended');
    } finally {
      await workers.stop();
    }
  });

  it('a webhook and a cron restoring at once change the account once', async () => {
    const w = await runWorld(t);
    const [sub] = await w.subscribers(1, '2026-12-01T08:00:00Z');
    await run(w.actor.tenantId, '2026-12-01');
    await run(w.actor.tenantId, '2026-12-08');
    expect(await statusOf(sub!)).toBe('suspended');
    // Paid with no job worker running: the restore jobs wait; two direct restores race.
    await pay(w.actor, sub!, 250_000n);
    const outcomes = await Promise.all([
      restoreAfterPayment(t.app, w.actor.tenantId, sub!),
      restoreAfterPayment(t.app, w.actor.tenantId, sub!),
    ]);
    expect(outcomes.filter((o) => o !== null)).toHaveLength(1);
    const resumed = await t.app.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity_id = ${sub!} and action = 'subscriber.active'`,
    );
    expect(resumed[0]?.n).toBe(1);
    // Nothing is billed twice for the restored account: it still has its one invoice.
    const all = await t.app.db.select().from(invoices).where(eq(invoices.subscriberId, sub!));
    expect(all).toHaveLength(1);
  });
});

describe('a resumed account', () => {
  it('is no longer dunning’s: a later manual suspension is not lifted by a payment', async () => {
    const w = await runWorld(t);
    const [sub] = await w.subscribers(1, '2026-12-01T08:00:00Z');
    await run(w.actor.tenantId, '2026-12-01');
    expect((await run(w.actor.tenantId, '2026-12-08')).suspended).toBe(1);
    await setSubscriberStatus(t.app, w.actor, { id: sub!, status: 'active', reason: 'operator override' });
    await setSubscriberStatus(t.app, w.actor, { id: sub!, status: 'suspended', reason: 'abuse report' });
    await pay(w.actor, sub!, 250_000n);
    expect(await restoreAfterPayment(t.app, w.actor.tenantId, sub!)).toBeNull();
    expect(await statusOf(sub!)).toBe('suspended');
  });
});

describe('a gateway payment in flight', () => {
  it('holds off suspension while the attempt is pending, not once it failed', async () => {
    const w = await runWorld(t);
    const [sub] = await w.subscribers(1, '2026-12-01T08:00:00Z');
    await run(w.actor.tenantId, '2026-12-01');
    const [attempt] = await t.app.db
      .insert(paymentAttempts)
      .values({
        tenantId: w.actor.tenantId,
        subscriberId: sub!,
        gateway: 'mpesa',
        status: 'pending',
        amountMinor: 250_000n,
        chargedMinor: 250_000n,
        currency: 'KES',
        createdAt: new Date('2026-12-08T09:00:00Z'),
      })
      .returning();
    expect(await hasPendingPayment(t.app.db, sub!, noon('2026-12-08'))).toBe(true);
    expect((await run(w.actor.tenantId, '2026-12-08')).suspended).toBe(0);
    await t.app.db
      .update(paymentAttempts)
      .set({ status: 'failed' })
      .where(eq(paymentAttempts.id, attempt!.id));
    expect((await run(w.actor.tenantId, '2026-12-08')).suspended).toBe(1);
  });
});
