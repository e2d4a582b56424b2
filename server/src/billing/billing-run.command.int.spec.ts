import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { subscribers, tenants } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { billingRunCommand } from './billing-run.command.ts';
import { runWorld } from './billing-run.testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const run = async (args: Record<string, string | boolean>) =>
  billingRunCommand.describe(await billingRunCommand.run(t.app, args));

describe('billing:run', () => {
  it('lists in a dry run what it would issue and suspend, writing nothing, then runs the day', async () => {
    const w = await runWorld(t);
    const [tenant] = await t.app.db.select().from(tenants).where(eq(tenants.id, w.actor.tenantId));
    const [sub] = await w.subscribers(1, '2026-12-01T08:00:00Z');
    const [s] = await t.app.db.select().from(subscribers).where(eq(subscribers.id, sub!));
    const dry = await run({ tenant: tenant!.slug, date: '2026-12-01', 'dry-run': true });
    expect(dry).toContain('Would issue 1 invoice(s):');
    expect(dry).toContain(`${s!.username}  2026-12-01 – 2027-01-01  2500.00 KES`);
    const [none] = await t.app.db.execute<{ n: number }>(
      sql`select count(*)::int as n from invoices where tenant_id = ${w.actor.tenantId}`,
    );
    expect(none?.n).toBe(0);
    expect(await run({ tenant: tenant!.slug, date: '2026-12-01' })).toBe(
      'Billing run for 2026-12-01: 1 invoice(s) issued, 1 reminder(s) queued, 0 suspended.',
    );
    const later = await run({ tenant: tenant!.slug, date: '2026-12-08', 'dry-run': true });
    expect(later).toContain(`Would suspend 1: ${s!.username}`);
  });

  it('refuses a date that is not one, naming the option', async () => {
    const w = await runWorld(t);
    const [tenant] = await t.app.db.select().from(tenants).where(eq(tenants.id, w.actor.tenantId));
    await expect(run({ tenant: tenant!.slug, date: '2026-02-30' })).rejects.toMatchObject({
      code: 'BILLING.BAD_DATE',
    });
  });
});
