import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { billingWorld } from '../billing/billing.testing.ts';
import { openBillingPeriod } from '../billing/billing-account.ts';
import { getInvoice } from '../billing/invoice.service.ts';
import { balanceOf } from '../billing/ledger.ts';
import { getSubscriber } from '../subscribers/subscriber.service.ts';
import { archivePlan, createPlan, listPlanVersions, updatePlan } from './plan.service.ts';
import { applyPlanChange, previewPlanChange } from './plan-change.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const speeds = { downloadBps: 20_000_000, uploadBps: 5_000_000, currency: 'KES' };
const april = { start: new Date('2026-04-01T00:00:00Z'), mid: new Date('2026-04-16T00:00:00Z') };

async function onPeriod(w: Awaited<ReturnType<typeof billingWorld>>) {
  const sub = await w.newSubscriber();
  await t.app.db.transaction((tx) => openBillingPeriod(tx, w.actor.tenantId, sub, april.start));
  return sub;
}

describe('plans carry billing terms', () => {
  it('keeps every version of a plan and refuses a name another plan has', async () => {
    const w = await billingWorld(t);
    const p = await createPlan(t.app, w.actor, {
      ...speeds,
      name: 'Fibre 20',
      priceMinor: 300_000n,
      billingPeriodUnit: 'day',
      billingPeriodCount: 30,
      billingMode: 'postpaid',
      installationFeeMinor: 150_000n,
    });
    expect(p).toMatchObject({
      version: 1,
      billingPeriodCount: 30,
      billingMode: 'postpaid',
      audience: 'both',
    });
    const changed = await updatePlan(t.app, w.actor, p.id, { priceMinor: 350_000n });
    expect(changed.version).toBe(2);
    const versions = await listPlanVersions(t.app, w.actor, p.id);
    expect(versions.map((v) => [v.version, v.priceMinor])).toEqual([
      [2, 350_000n],
      [1, 300_000n],
    ]);
    await expect(updatePlan(t.app, w.actor, p.id, { name: 'Home 10M' })).rejects.toMatchObject({
      code: 'PLAN.NAME_TAKEN',
    });
    await archivePlan(t.app, w.actor, p.id);
    await expect(updatePlan(t.app, w.actor, p.id, { priceMinor: 1n })).rejects.toMatchObject({
      code: 'PLAN.ARCHIVED',
    });
  });

  it('previews and applies an upgrade mid-period: the difference is invoiced now', async () => {
    const w = await billingWorld(t);
    const big = await createPlan(t.app, w.actor, { ...speeds, name: 'Home 20M', priceMinor: 400_000n });
    const sub = await onPeriod(w);
    const input = { subscriberId: sub, planId: big.id, when: 'now' as const };
    const preview = await previewPlanChange(t.app, w.actor, input, april.mid);
    // April has 30 days; half is left: +200,000.00 for the new plan, −125,000.00 for the old.
    expect(preview.proration).toEqual({ creditMinor: 125_000n, chargeMinor: 200_000n, netMinor: 75_000n });
    const done = await applyPlanChange(t.app, w.actor, input, april.mid);
    expect(done.invoiceId).not.toBeNull();
    const inv = await getInvoice(t.app, w.actor, done.invoiceId ?? '');
    expect(inv).toMatchObject({ status: 'open', totalMinor: 75_000n });
    expect(inv.lines.map((l) => l.totalMinor)).toEqual([200_000n, -125_000n]);
    expect((await getSubscriber(t.app, w.actor, sub)).subscriber.planId).toBe(big.id);
  });

  it('credits a downgrade, and the credit pays the next invoice', async () => {
    const w = await billingWorld(t);
    const small = await createPlan(t.app, w.actor, { ...speeds, name: 'Lite', priceMinor: 100_000n });
    const sub = await onPeriod(w);
    const done = await applyPlanChange(
      t.app,
      w.actor,
      { subscriberId: sub, planId: small.id, when: 'now' },
      april.mid,
    );
    expect(done.creditNoteId).not.toBeNull();
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(-75_000n);
    const next = await w.invoice(sub, 100_000n);
    expect(await getInvoice(t.app, w.actor, next.id)).toMatchObject({
      status: 'partially_paid',
      dueMinor: 25_000n,
    });
  });

  it('schedules a change for the next period without charging, and refuses archived or voucher-only plans', async () => {
    const w = await billingWorld(t);
    const sub = await onPeriod(w);
    const later = await createPlan(t.app, w.actor, { ...speeds, name: 'Later', priceMinor: 1n });
    const r = await applyPlanChange(t.app, w.actor, {
      subscriberId: sub,
      planId: later.id,
      when: 'next_period',
    });
    expect(r).toMatchObject({ invoiceId: null, creditNoteId: null });
    expect((await getSubscriber(t.app, w.actor, sub)).subscriber.planId).toBe(w.planId);
    await archivePlan(t.app, w.actor, later.id);
    await expect(
      applyPlanChange(t.app, w.actor, { subscriberId: sub, planId: later.id, when: 'now' }),
    ).rejects.toMatchObject({ code: 'PLAN.ARCHIVED', details: { field: 'planId' } });
    const cards = await createPlan(t.app, w.actor, {
      ...speeds,
      name: 'Cards',
      priceMinor: 5n,
      audience: 'voucher',
    });
    await expect(
      previewPlanChange(t.app, w.actor, { subscriberId: sub, planId: cards.id, when: 'now' }),
    ).rejects.toMatchObject({ code: 'PLAN.NOT_FOR_SUBSCRIBERS' });
  });
});
