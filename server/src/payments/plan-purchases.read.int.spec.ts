// The console's reads of "buy plan" purchases: Billing's list (paid ones only, newest first,
// by refund status and by code) and a code's purchase with its refunds, as the code's page
// shows them. Purchases are made through the M-Pesa fake, the real inbox and apply job.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { paymentAttempts, vouchers } from '@kasi/db';
import { formatVoucherCode } from '@kasi/domain';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { updateBillingSettings } from '../billing/billing-settings.service.ts';
import { startFromLink } from './payment-attempt.service.ts';
import { createPlanPayLink } from './plan-purchase.ts';
import { requestPlanRefund } from './plan-refund.service.ts';
import { listPlanPurchases, planPurchaseOfCode } from './plan-purchases.read.ts';
import {
  applyPayments,
  paymentDeps,
  paymentWorld,
  startHooksServer,
  startPaymentFakes,
  type PaymentFakes,
  type PaymentWorld,
} from './payment.testing.ts';

let t: TestApp;
let fakes: PaymentFakes;
let hooks: Awaited<ReturnType<typeof startHooksServer>>;
let w: PaymentWorld;
let other: PaymentWorld;

beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  const deps = paymentDeps(t, fakes);
  hooks = await startHooksServer(deps);
  w = await paymentWorld(t, deps);
  other = await paymentWorld(t, deps);
});
afterAll(async () => {
  await hooks.close();
  await fakes.close();
  await t.close();
});

async function planLink(world: PaymentWorld, priceMinor: bigint) {
  const plan = await createPlan(t.app, world.actor, {
    name: `Day ${randomBytes(3).toString('hex')}`,
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    priceMinor,
    currency: 'KES',
    audience: 'voucher',
    validitySeconds: 86_400,
  });
  const made = await t.app.db.transaction((tx) =>
    createPlanPayLink(t.app, tx, { tenantId: world.actor.tenantId, planId: plan.id }),
  );
  return { plan, token: made.url.split('/p/')[1]! };
}

/** A code bought with M-Pesa (result 0), or an attempt the customer cancelled (1032). */
async function buy(world: PaymentWorld, priceMinor: bigint, result: 0 | 1032 = 0) {
  const { plan, token } = await planLink(world, priceMinor);
  fakes.daraja.setNextOutcome(result);
  const { attemptId, started } = await startFromLink(world.deps, {
    token,
    gateway: 'mpesa',
    phone: '0712345678',
  });
  await hooks.post(world.hookUrls.stk, fakes.daraja.callbackBody(started.providerRef, result));
  await applyPayments(world.deps, world.actor.tenantId);
  const [a] = await t.app.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId));
  const [v] = a?.voucherId ? await t.app.db.select().from(vouchers).where(eq(vouchers.id, a.voucherId)) : [];
  return { attemptId, plan, attempt: a!, voucher: v };
}

describe('plan purchases in the console', () => {
  it('lists paid purchases newest first with their code and refund status, filtered by status and code', async () => {
    const kept = await buy(w, 5_000n);
    const cancelled = await buy(w, 6_000n, 1032);
    const given = await buy(w, 7_000n);
    const waiting = await buy(w, 90_000n);
    expect(cancelled.voucher).toBeUndefined();

    await requestPlanRefund(w.deps, w.actor, {
      attemptId: given.attemptId,
      reason: 'Paid twice',
      reference: 'RKT3REVERSE7',
    });
    await updateBillingSettings(t.app, w.actor, { approvalThresholdMinor: 10_000n });
    try {
      await requestPlanRefund(w.deps, w.actor, {
        attemptId: waiting.attemptId,
        reason: 'No signal',
        reference: 'RKT3REVERSE9',
      });
    } finally {
      await updateBillingSettings(t.app, w.actor, { approvalThresholdMinor: null });
    }
    await buy(other, 5_000n);

    const all = await listPlanPurchases(t.app, w.actor, {});
    expect(all.map((r) => [r.attemptId, r.status, r.voucherStatus])).toEqual([
      [waiting.attemptId, 'refund_pending', 'sold'],
      [given.attemptId, 'refunded', 'void'],
      [kept.attemptId, 'paid', 'sold'],
    ]);
    expect(all[2]).toMatchObject({
      gateway: 'mpesa',
      chargedMinor: 5_000n,
      currency: 'KES',
      code: kept.voucher!.code,
      voucherId: kept.voucher!.id,
      planName: kept.plan.name,
      receipt: kept.attempt.receipt,
      checkoutRef: kept.attempt.providerRef,
      phoneMasked: kept.attempt.phoneMasked,
    });
    expect(kept.attempt.receipt).toBeTruthy();

    const ids = async (input: Parameters<typeof listPlanPurchases>[2]) =>
      (await listPlanPurchases(t.app, w.actor, input)).map((r) => r.attemptId);
    expect(await ids({ status: 'paid' })).toEqual([kept.attemptId]);
    expect(await ids({ status: 'refund_pending' })).toEqual([waiting.attemptId]);
    expect(await ids({ status: 'refunded' })).toEqual([given.attemptId]);
    // As the customer reads it: lower case, with the dashes of the printed code, or its start.
    const printed = formatVoucherCode(given.voucher!.code).toLowerCase();
    expect(await ids({ code: printed })).toEqual([given.attemptId]);
    expect(await ids({ code: given.voucher!.code.slice(0, 6) })).toContain(given.attemptId);
    expect(await ids({ code: 'ZZZZ%' })).toEqual([]);
  });

  it('a code’s purchase carries its refunds with who asked; a code not bought online has none', async () => {
    const { voucher, attemptId } = await buy(w, 4_000n);
    expect(await planPurchaseOfCode(t.app, w.actor, { voucherId: voucher!.id })).toMatchObject({
      attemptId,
      status: 'paid',
      refunds: [],
    });
    const r = await requestPlanRefund(w.deps, w.actor, {
      attemptId,
      reason: 'Wrong plan',
      reference: 'RKT3REVERSE5',
    });
    const got = await planPurchaseOfCode(t.app, w.actor, { voucherId: voucher!.id });
    expect(got).toMatchObject({ status: 'refunded', voucherStatus: 'void', code: voucher!.code });
    expect(got!.refunds).toEqual([
      expect.objectContaining({
        id: r.id,
        status: 'succeeded',
        kind: 'reversal',
        amountMinor: 4_000n,
        reference: 'RKT3REVERSE5',
        reason: 'Wrong plan',
        requestedBy: w.actor.userId,
        requestedByName: expect.any(String),
      }),
    ]);
    // Another tenant sees nothing of it; an unknown code has no purchase.
    expect(await planPurchaseOfCode(t.app, other.actor, { voucherId: voucher!.id })).toBeNull();
    expect(await planPurchaseOfCode(t.app, w.actor, { voucherId: randomUUID() })).toBeNull();
  });

  it('needs billing.read', async () => {
    const viewer = { ...w.actor, role: 'agent' as const };
    await expect(listPlanPurchases(t.app, viewer, {})).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    await expect(planPurchaseOfCode(t.app, viewer, { voucherId: randomUUID() })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });
});
