import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { subscribers, tenants } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { billingCommands } from './billing.commands.ts';
import { billingWorld } from './billing.testing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function run(name: string, args: Record<string, string>) {
  const cmd = billingCommands[name];
  if (!cmd) throw new Error(`no command ${name}`);
  return cmd.describe(await cmd.run(t.app, args));
}

describe('billing CLI', () => {
  it('records a payment, shows and voids an invoice, and changes a plan’s terms by name', async () => {
    const w = await billingWorld(t);
    const [tenant] = await t.app.db.select().from(tenants).where(eq(tenants.id, w.actor.tenantId));
    const slug = tenant?.slug ?? '';
    const sub = await w.newSubscriber();
    const [s] = await t.app.db.select().from(subscribers).where(eq(subscribers.id, sub));
    await w.invoice(sub, 250_000n);
    const paid = await run('payment:record', {
      tenant: slug,
      subscriber: s?.username ?? '',
      amount: '1000.00',
      method: 'bank_transfer',
      receipt: 'BT-9',
    });
    expect(paid).toBe('Recorded 1000.00 KES, receipt BT-9; owes 1500.00 KES.');
    const shown = await run('invoice:show', { tenant: slug, invoice: 'INV-000001' });
    expect(shown).toContain('INV-000001');
    expect(shown).toContain('Due 1500.00 KES');
    expect(await run('invoice:void', { tenant: slug, invoice: 'INV-000001', reason: 'wrong customer' })).toBe(
      'Voided by credit note CN-000001.',
    );
    expect(
      await run('plan:update', { tenant: slug, plan: 'Home 10M', price: '3000', period: 'day', every: '30' }),
    ).toBe('Plan Home 10M is now version 2: 3000.00 KES every 30 day(s), prepaid.');
    await expect(
      run('payment:record', { tenant: slug, subscriber: s?.username ?? '', amount: '-5' }),
    ).rejects.toMatchObject({
      code: 'PAYMENT.AMOUNT_NOT_POSITIVE',
    });
    await expect(run('plan:update', { tenant: slug, plan: 'Home 10M', mode: 'later' })).rejects.toMatchObject(
      {
        code: 'CLI.BAD_OPTION',
      },
    );
  });
});
