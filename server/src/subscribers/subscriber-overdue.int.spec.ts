// The subscriber list's "overdue" filter (issue 12): an account that owes on an invoice whose
// due date, a day of the billing calendar, is before today — whether or not it is suspended yet
// — for the API and the CLI's `subscriber:list --overdue`. Paid-up accounts, accounts whose
// invoice is due today, and accounts without invoices are not overdue; another tenant's
// overdue accounts never show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { invoices, subscribers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { addDays, localDay } from '../billing/billing-calendar.ts';
import { runBilling } from '../billing/billing-run.ts';
import { recordPayment } from '../billing/payment.service.ts';
import { createSubscriber } from './subscriber.service.ts';
import { listSubscribers } from './subscriber-query.ts';
import { SUBSCRIBER_COMMANDS } from './subscriber.commands.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const plan = {
  name: 'Home 10M',
  downloadBps: 10_000_000,
  uploadBps: 2_000_000,
  priceMinor: 150_000n,
  currency: 'KES',
  audience: 'subscriber' as const,
};

async function tenantWithAccounts(slug: string) {
  const { actor } = await t.newTenant({ slug });
  const p = await createPlan(t.app, actor, plan);
  const mk = (username: string) =>
    createSubscriber(t.app, actor, { username, password: 'secret-1', planId: p.id });
  const [ann, ben, cy, dan] = [await mk('ann'), await mk('ben'), await mk('cy'), await mk('dan')];
  const today = localDay(new Date(), 'UTC');
  const past = addDays(today, -12);
  // ann and ben started 12 days ago: their first invoice fell due then. cy starts today.
  await t.app.db
    .update(subscribers)
    .set({ createdAt: new Date(`${past}T08:00:00Z`) })
    .where(inArray(subscribers.id, [ann.id, ben.id]));
  await t.app.db
    .update(subscribers)
    .set({ createdAt: new Date(`${today}T00:00:00Z`) })
    .where(eq(subscribers.id, cy.id));
  // dan has no invoice at all (never billed: created after both runs' days).
  await t.app.db
    .update(subscribers)
    .set({ createdAt: new Date(`${addDays(today, 5)}T00:00:00Z`) })
    .where(eq(subscribers.id, dan.id));
  expect((await runBilling(t.app, { tenantId: actor.tenantId, day: past })).issued).toBe(2);
  expect((await runBilling(t.app, { tenantId: actor.tenantId, day: today })).issued).toBe(1);
  const [benInvoice] = await t.app.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.tenantId, actor.tenantId), eq(invoices.subscriberId, ben.id)));
  await recordPayment(t.app, actor, {
    subscriberId: ben.id,
    invoiceId: benInvoice!.id,
    amountMinor: benInvoice!.totalMinor,
    currency: 'KES',
    method: 'cash',
  });
  return actor;
}

describe('the overdue filter', () => {
  it('lists accounts owing past the due date (API and CLI), not paid-up, due-today or unbilled ones, nor other tenants’', async () => {
    const actor = await tenantWithAccounts('overdue-a');
    await tenantWithAccounts('overdue-b');
    const names = async (overdue: boolean | undefined) =>
      (await listSubscribers(t.app, actor, { overdue })).rows.map((r) => r.subscriber.username);
    expect(await names(true)).toEqual(['ann']);
    expect(await names(false)).toEqual(['ben', 'cy', 'dan']);
    expect(await names(undefined)).toEqual(['ann', 'ben', 'cy', 'dan']);
    // Combined with the other filters (today's run has suspended ann for it, past grace).
    expect((await listSubscribers(t.app, actor, { overdue: true, status: 'active' })).total).toBe(0);
    expect((await listSubscribers(t.app, actor, { overdue: true, status: 'suspended' })).total).toBe(1);
    expect((await listSubscribers(t.app, actor, { overdue: true, search: 'an' })).total).toBe(1);

    const list = SUBSCRIBER_COMMANDS['subscriber:list']!;
    const cli = await list.run(t.app, { tenant: 'overdue-a', overdue: true });
    expect(list.describe!(cli)).toBe(['ann\tsuspended (overdue)\tHome 10M\t', '1 subscriber.'].join('\n'));
    const all = await list.run(t.app, { tenant: 'overdue-a' });
    expect((all as unknown[]).length).toBe(4);
  });
});
