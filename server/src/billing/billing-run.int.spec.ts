import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, sql } from 'drizzle-orm';
import { billingAccounts, connect, invoiceLines, invoices, ledgerEntries, subscribers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { testAppOn } from '../testing/test-app-factory.ts';
import { applyPlanChange } from '../plans/plan-change.service.ts';
import { setSubscriberStatus } from '../subscribers/subscriber-status.service.ts';
import { runBilling } from './billing-run.ts';
import { runWorld } from './billing-run.testing.ts';
import { updateBillingSettings } from './billing-settings.service.ts';
import { recordPayment } from './payment.service.ts';
import { updateDunningPolicy } from './dunning-policy.service.ts';
import type { Actor } from '../app-context.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const count = async (tenantId: string) => {
  const [r] = await t.app.db.execute<{ inv: number; lines: number; ledger: number }>(sql`
    select (select count(*)::int from invoices where tenant_id = ${tenantId}) as inv,
           (select count(*)::int from invoice_lines where tenant_id = ${tenantId}) as lines,
           (select count(*)::int from ledger_entries where tenant_id = ${tenantId}) as ledger`);
  return r;
};

/** Pays every open invoice of the tenant in cash, so dunning leaves the accounts alone. */
async function payAll(actor: Actor) {
  const open = await t.app.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, actor.tenantId), eq(invoices.status, 'open')));
  for (const inv of open) {
    await recordPayment(t.app, actor, {
      subscriberId: inv.subscriberId,
      invoiceId: inv.id,
      amountMinor: inv.totalMinor,
      currency: inv.currency,
      method: 'cash',
    });
  }
}

const tenantInvoices = (tenantId: string) =>
  t.app.db.select().from(invoices).where(eq(invoices.tenantId, tenantId)).orderBy(asc(invoices.number));

describe('the billing run', () => {
  it('issues each due invoice finalised, with the installation fee on the first; a second run for the day writes nothing', async () => {
    const w = await runWorld(t, { plan: { installationFeeMinor: 100_000n } });
    const subs = await w.subscribers(3, '2026-11-01T09:00:00Z');
    const first = await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-11-01' });
    expect(first.issued).toBe(3);
    const issued = await tenantInvoices(w.actor.tenantId);
    expect(issued.map((i) => i.displayNumber)).toEqual(['INV-000001', 'INV-000002', 'INV-000003']);
    expect(issued.every((i) => i.status === 'open' && i.totalMinor === 350_000n && i.recurring)).toBe(true);
    expect(issued[0]?.periodStart?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(issued[0]?.periodEnd?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    const lines = await t.app.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, issued[0]!.id));
    expect(lines.map((l) => l.kind).sort()).toEqual(['installation', 'plan']);
    const ledger = await t.app.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.subscriberId, subs[0]!));
    expect(ledger.map((l) => l.amountMinor)).toEqual([350_000n]);

    const before = await count(w.actor.tenantId);
    const again = await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-11-01' });
    expect(again.issued).toBe(0);
    expect(await count(w.actor.tenantId)).toEqual(before);
    await payAll(w.actor);

    // Seven days before the next period (issue-before default 7): the December invoice, no installation.
    expect((await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-11-23' })).issued).toBe(0);
    expect((await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-11-24' })).issued).toBe(3);
    const dec = (await tenantInvoices(w.actor.tenantId)).slice(3);
    expect(dec.map((i) => i.totalMinor)).toEqual([250_000n, 250_000n, 250_000n]);
    expect(dec[0]?.periodStart?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    // The period rolls over on its first day and the December invoice is not issued twice.
    expect((await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-12-01' })).issued).toBe(0);
    const [acct] = await t.app.db
      .select()
      .from(billingAccounts)
      .where(eq(billingAccounts.subscriberId, subs[0]!));
    expect(acct?.periodStart?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('two runs at once on two app contexts issue each invoice once, numbered without gaps', async () => {
    const w = await runWorld(t);
    await w.subscribers(40, '2026-10-05T10:00:00Z');
    const handle = connect(t.url);
    const other = testAppOn({ handle, url: t.url, close: () => handle.close() });
    try {
      const run = (app: typeof t.app) =>
        runBilling(app, { tenantId: w.actor.tenantId, day: '2026-10-05', chunkSize: 7 });
      const [a, b] = await Promise.all([run(t.app), run(other.app)]);
      expect(a.issued + b.issued).toBe(40);
    } finally {
      await other.close();
    }
    const all = await tenantInvoices(w.actor.tenantId);
    expect(all.map((i) => Number(i.number))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(all.map((i) => i.subscriberId)).size).toBe(40);
  });

  it('a dry run lists what it would issue and writes nothing', async () => {
    const w = await runWorld(t);
    await w.subscribers(2, '2026-10-05T10:00:00Z');
    const dry = await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-10-05', dryRun: true });
    expect(dry.invoices).toHaveLength(2);
    expect(dry.issued).toBe(0);
    expect(await count(w.actor.tenantId)).toEqual({ inv: 0, lines: 0, ledger: 0 });
  });

  it('does not invoice a suspended account; on resume its next period starts that day', async () => {
    const w = await runWorld(t);
    const [sub] = await w.subscribers(1, '2026-09-01T08:00:00Z');
    await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-09-01' });
    await setSubscriberStatus(t.app, w.actor, { id: sub!, status: 'suspended', reason: 'moved away' });
    for (const day of ['2026-09-24', '2026-10-01', '2026-10-24', '2026-11-01']) {
      expect((await runBilling(t.app, { tenantId: w.actor.tenantId, day })).issued).toBe(0);
    }
    expect(await tenantInvoices(w.actor.tenantId)).toHaveLength(1);
    await setSubscriberStatus(t.app, w.actor, { id: sub!, status: 'active', reason: 'back' });
    const [acct] = await t.app.db
      .select()
      .from(billingAccounts)
      .where(eq(billingAccounts.subscriberId, sub!));
    const today = new Date().toISOString().slice(0, 10);
    expect(acct?.periodStart?.toISOString()).toBe(`${today}T00:00:00.000Z`);
    expect((await runBilling(t.app, { tenantId: w.actor.tenantId, day: today })).issued).toBe(1);
  });

  it('applies a pending plan change at the start of the next period and bills the new plan', async () => {
    const w = await runWorld(t);
    const bigger = await w.plan({ priceMinor: 400_000n });
    const [sub] = await w.subscribers(1, '2026-09-01T08:00:00Z');
    await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-09-01' });
    await payAll(w.actor);
    await applyPlanChange(t.app, w.actor, { subscriberId: sub!, planId: bigger, when: 'next_period' });
    await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-09-24' });
    const all = await tenantInvoices(w.actor.tenantId);
    expect(all.map((i) => i.totalMinor)).toEqual([250_000n, 400_000n]);
    await payAll(w.actor);
    await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-10-01' });
    const [s] = await t.app.db.select().from(subscribers).where(eq(subscribers.id, sub!));
    expect(s?.planId).toBe(bigger);
    const [acct] = await t.app.db
      .select()
      .from(billingAccounts)
      .where(and(eq(billingAccounts.subscriberId, sub!)));
    expect(acct?.nextPlanId).toBeNull();
  });

  it('bills a fixed billing day pro rata for the first short period, postpaid at the period end', async () => {
    const w = await runWorld(t, { plan: { billingMode: 'postpaid', priceMinor: 300_000n } });
    await updateBillingSettings(t.app, w.actor, { billingDay: 1, dueDays: 10 });
    const [sub] = await w.subscribers(1, '2026-09-16T08:00:00Z');
    expect((await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-09-16' })).issued).toBe(0);
    expect((await runBilling(t.app, { tenantId: w.actor.tenantId, day: '2026-10-01' })).issued).toBe(1);
    const [inv] = await tenantInvoices(w.actor.tenantId);
    // 15 of September's 30 days.
    expect(inv?.totalMinor).toBe(150_000n);
    expect(inv?.dueAt?.toISOString()).toBe('2026-10-11T00:00:00.000Z');
    const [acct] = await t.app.db
      .select()
      .from(billingAccounts)
      .where(eq(billingAccounts.subscriberId, sub!));
    expect(acct?.periodEnd?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
});

describe('the daily schedule', () => {
  it('runs at the policy hour in the billing time zone, moved when the settings change', async () => {
    const w = await runWorld(t);
    await updateBillingSettings(t.app, w.actor, { timezone: 'Africa/Nairobi' });
    const boss = await t.app.jobs.boss();
    const mine = async () =>
      (await boss.getSchedules()).find((s) => s.name === 'billing.run' && s.key === w.actor.tenantId);
    expect(await mine()).toMatchObject({ cron: '0 2 * * *', timezone: 'Africa/Nairobi' });
    await updateDunningPolicy(t.app, w.actor, { runHour: 5 });
    await updateBillingSettings(t.app, w.actor, { timezone: 'Africa/Kampala' });
    expect(await mine()).toMatchObject({
      cron: '0 5 * * *',
      timezone: 'Africa/Kampala',
      data: { tenantId: w.actor.tenantId },
    });
  });
});
