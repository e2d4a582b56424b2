// Refunds of "buy plan" purchases: a hotspot customer paid for a code online (the provider
// fakes, the real inbox and apply job), then the operator gives the money back. The code is
// voided — the real radiusd refuses it to radclient — and a session open on it gets a
// Disconnect-Request at the router fake; the refund row and audit rows are written, a second
// person approves above the threshold, and Stripe is asked through its API.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, ledgerEntries, paymentAttempts, paymentRefunds, radiusSessions, vouchers } from '@kasi/db';
import { DARAJA_TEST_CREDENTIALS, STRIPE_TEST_KEY, STRIPE_TEST_WEBHOOK_SECRET } from '@kasi/payments/testing';
import type { Actor } from '../app-context.ts';
import { addMember } from '../tenants/tenant.service.ts';
import { loadBillingSettings, updateBillingSettings } from '../billing/billing-settings.service.ts';
import { localDay } from '../billing/billing-calendar.ts';
import { createPlan } from '../plans/plan.service.ts';
import { revenueByChannel } from '../dashboard/dashboard-queries.ts';
import { radclientLogin, startRadiusd } from '../testing/radiusd-process.ts';
import {
  newRadiusTenant,
  startRadiusWorld,
  type RadiusTenant,
  type RadiusWorld,
} from '../testing/radius-tenant.ts';
import { listGateways, setGateway, setGatewayEnabled } from './gateway-settings.service.ts';
import { startFromLink } from './payment-attempt.service.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { createPlanPayLink } from './plan-purchase.ts';
import { decideAnyRefund, requestPlanRefund } from './plan-refund.service.ts';
import { reconciliationDay, runReconciliation } from './reconcile.service.ts';
import {
  applyPayments,
  paymentDeps,
  startHooksServer,
  startPaymentFakes,
  type PaymentFakes,
} from './payment.testing.ts';

const SECRET = 'plan-refund-secret';
let world: RadiusWorld;
let fakes: PaymentFakes;
let tenant: RadiusTenant;
let deps: PaymentDeps;
let hooks: Awaited<ReturnType<typeof startHooksServer>>;
let hookUrls: { stk: string; stripe: string };

beforeAll(async () => {
  world = await startRadiusWorld({ secret: SECRET });
  fakes = await startPaymentFakes();
  // The radius tenant's app carries the keyring radiusd shares; payments run on it too.
  tenant = await newRadiusTenant(world);
  deps = { ...paymentDeps(world.t, fakes), app: tenant.app };
  hooks = await startHooksServer(deps);
  const { actor } = tenant;
  await setGateway(deps, actor, {
    gateway: 'mpesa',
    config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' },
  });
  await setGateway(deps, actor, {
    gateway: 'stripe',
    config: { secretKey: STRIPE_TEST_KEY, webhookSecret: STRIPE_TEST_WEBHOOK_SECRET },
  });
  for (const gateway of ['mpesa', 'stripe'] as const) {
    await setGatewayEnabled(deps, actor, { gateway, enabled: true });
  }
  const gws = await listGateways(deps, actor);
  const url = (g: string, k: string) =>
    (gws.find((x) => x.gateway === g)!.webhookUrls as unknown as Record<string, string>)[k]!;
  hookUrls = { stk: url('mpesa', 'stkCallback'), stripe: url('stripe', 'webhook') };
});
afterAll(async () => {
  await hooks.close();
  await fakes.close();
  await world.close();
});

async function voucherPlan(priceMinor: bigint) {
  return createPlan(tenant.app, tenant.actor, {
    name: `Day ${randomBytes(3).toString('hex')}`,
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    priceMinor,
    currency: 'KES',
    audience: 'voucher',
    validitySeconds: 86_400,
  });
}

async function planLinkToken(planId: string) {
  const made = await tenant.app.db.transaction((tx) =>
    createPlanPayLink(tenant.app, tx, { tenantId: tenant.actor.tenantId, planId }),
  );
  return made.url.split('/p/')[1]!;
}

const attemptOf = async (id: string) =>
  (await tenant.app.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, id)))[0]!;
const voucherOf = async (id: string) =>
  (await tenant.app.db.select().from(vouchers).where(eq(vouchers.id, id)))[0]!;
const auditsOf = (entityId: string) =>
  tenant.app.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenant.actor.tenantId), eq(auditLog.entityId, entityId)));

/** A code bought with M-Pesa through the callback and the apply job. */
async function boughtWithMpesa(priceMinor: bigint) {
  const plan = await voucherPlan(priceMinor);
  const token = await planLinkToken(plan.id);
  fakes.daraja.setNextOutcome(0);
  const { attemptId, started } = await startFromLink(deps, { token, gateway: 'mpesa', phone: '0712345678' });
  await hooks.post(hookUrls.stk, fakes.daraja.callbackBody(started.providerRef, 0));
  await applyPayments(deps, tenant.actor.tenantId);
  const a = await attemptOf(attemptId);
  expect(a).toMatchObject({ status: 'succeeded' });
  return { attemptId, voucher: await voucherOf(a.voucherId!) };
}

/** A code bought with a card through the signed Stripe webhook and the apply job. */
async function boughtWithStripe(priceMinor: bigint) {
  const plan = await voucherPlan(priceMinor);
  const token = await planLinkToken(plan.id);
  const { attemptId, started } = await startFromLink(deps, { token, gateway: 'stripe' });
  const d = fakes.stripe.delivery('checkout.session.completed', fakes.stripe.pay(started.providerRef));
  expect((await hooks.post(hookUrls.stripe, d.rawBody, d.headers)).status).toBe(200);
  await applyPayments(deps, tenant.actor.tenantId);
  const a = await attemptOf(attemptId);
  expect(a).toMatchObject({ status: 'succeeded' });
  return { attemptId, receipt: a.receipt!, voucher: await voucherOf(a.voucherId!) };
}

async function secondOperator(owner: Actor): Promise<Actor> {
  const email = `op-${randomBytes(3).toString('hex')}@kasi.test`;
  const user = await addMember(tenant.app.db, {
    tenantId: owner.tenantId,
    email,
    name: 'Second',
    password: 'another good password',
    role: 'operator',
  });
  return { ...owner, userId: user.id, label: email, role: 'operator' };
}

describe('refunding a plan purchase', () => {
  it('M-Pesa reversal: the code is voided, its open session disconnected, and radiusd refuses it', async () => {
    const { attemptId, voucher } = await boughtWithMpesa(5_000n);
    const radiusd = await startRadiusd(world.t.url, tenant.masterKey);
    try {
      const login = () => radclientLogin(radiusd.port, SECRET, voucher.code, voucher.code);
      expect(await login()).toMatchObject({ code: 'Access-Accept' });
      const online = async () =>
        [...(await revenueByChannel(tenant.app.db, tenant.actor.tenantId))].find(
          (r) => r.channel === 'online',
        );
      expect(await online()).toMatchObject({ todayCount: 1, todayMinor: '5000' });
      await tenant.app.db.insert(radiusSessions).values({
        tenantId: tenant.actor.tenantId,
        nasId: tenant.nasId,
        voucherId: voucher.id,
        sessionKey: `refund-${voucher.code}`,
        acctSessionId: `refund-${voucher.code}`,
        userName: voucher.code,
        startedAt: new Date(),
        lastUpdateAt: new Date(),
      });
      // M-Pesa has no refund API Kasi calls: the reversal id from the portal is required.
      await expect(
        requestPlanRefund(deps, tenant.actor, { attemptId, reason: 'Paid twice' }),
      ).rejects.toMatchObject({ code: 'REFUND.REFERENCE_REQUIRED' });
      const r = await requestPlanRefund(deps, tenant.actor, {
        attemptId,
        reason: 'Paid twice',
        reference: 'RKT3REVERSE1',
      });
      expect(r).toMatchObject({
        status: 'succeeded',
        kind: 'reversal',
        gateway: 'mpesa',
        attemptId,
        paymentId: null,
        subscriberId: null,
        amountMinor: 5_000n,
        currency: 'KES',
        reference: 'RKT3REVERSE1',
      });
      expect(await voucherOf(voucher.id)).toMatchObject({ status: 'void' });
      expect(world.router.disconnects.map((d) => d.user)).toContain(voucher.code);
      expect(await login()).toMatchObject({ code: 'Access-Reject' });
      // A refunded purchase is no sale on the dashboard.
      expect(await online()).toBeUndefined();
      expect((await auditsOf(r.id)).map((a) => a.action)).toEqual(['payment.refund.create']);
      expect((await auditsOf(voucher.id)).map((a) => a.action)).toContain('voucher.void');
      // The sale posted no ledger entry, so the refund posts none either.
      expect(
        await tenant.app.db
          .select()
          .from(ledgerEntries)
          .where(and(eq(ledgerEntries.tenantId, tenant.actor.tenantId), eq(ledgerEntries.sourceId, r.id))),
      ).toEqual([]);
      // Given back once.
      await expect(
        requestPlanRefund(deps, tenant.actor, { attemptId, reason: 'Again', reference: 'RKT3REVERSE2' }),
      ).rejects.toMatchObject({ code: 'REFUND.ALREADY' });
    } finally {
      await radiusd.stop();
    }
  });

  it('Stripe, above the threshold: waits for a second person, then Stripe refunds and the code is voided', async () => {
    const second = await secondOperator(tenant.actor);
    await updateBillingSettings(tenant.app, tenant.actor, { approvalThresholdMinor: 1_000n });
    try {
      const { attemptId, receipt, voucher } = await boughtWithStripe(3_000n);
      const calls = fakes.stripe.requests.length;
      const r = await requestPlanRefund(deps, tenant.actor, { attemptId, reason: 'Could not connect' });
      expect(r).toMatchObject({ status: 'pending_approval', approval: 'pending', amountMinor: 3_000n });
      expect(fakes.stripe.requests.length).toBe(calls);
      expect(await voucherOf(voucher.id)).toMatchObject({ status: 'sold' });
      await expect(
        decideAnyRefund(deps, tenant.actor, { id: r.id, decision: 'approve' }),
      ).rejects.toMatchObject({ code: 'BILLING.SELF_APPROVAL' });
      const done = await decideAnyRefund(deps, second, { id: r.id, decision: 'approve' });
      expect(done).toMatchObject({ status: 'succeeded', approval: 'approved', approvedBy: second.userId });
      expect(done.providerRefundId).toMatch(/^re_/);
      const call = fakes.stripe.requests.at(-1)!;
      expect(call.path).toBe('/v1/refunds');
      expect(call.headers['idempotency-key']).toBe(`kasi-refund-${r.id}`);
      const form = new URLSearchParams(call.body);
      expect(form.get('payment_intent')).toBe(receipt);
      expect(form.get('amount')).toBe('3000');
      expect(await voucherOf(voucher.id)).toMatchObject({ status: 'void' });
      expect((await auditsOf(r.id)).map((a) => a.action).sort()).toEqual([
        'payment.refund.approve',
        'payment.refund.request',
        'payment.refund.succeed',
      ]);
      await expect(decideAnyRefund(deps, second, { id: r.id, decision: 'approve' })).rejects.toMatchObject({
        code: 'REFUND.NOT_PENDING',
      });
    } finally {
      await updateBillingSettings(tenant.app, tenant.actor, { approvalThresholdMinor: null });
    }
  });

  it('a rejected refund leaves the code working; unpaid, unknown and other people’s purchases are refused', async () => {
    const second = await secondOperator(tenant.actor);
    await updateBillingSettings(tenant.app, tenant.actor, { approvalThresholdMinor: 1_000n });
    try {
      const { attemptId, voucher } = await boughtWithStripe(2_000n);
      const r = await requestPlanRefund(deps, tenant.actor, { attemptId, reason: 'Changed mind' });
      const rejected = await decideAnyRefund(deps, second, { id: r.id, decision: 'reject' });
      expect(rejected).toMatchObject({ status: 'rejected' });
      expect(await voucherOf(voucher.id)).toMatchObject({ status: 'sold' });
    } finally {
      await updateBillingSettings(tenant.app, tenant.actor, { approvalThresholdMinor: null });
    }
    const plan = await voucherPlan(1_000n);
    const unpaid = await startFromLink(deps, { token: await planLinkToken(plan.id), gateway: 'stripe' });
    await expect(
      requestPlanRefund(deps, tenant.actor, { attemptId: unpaid.attemptId, reason: 'x' }),
    ).rejects.toMatchObject({ code: 'REFUND.NOT_PAID' });
    await expect(
      requestPlanRefund(deps, tenant.actor, { attemptId: randomUUID(), reason: 'x' }),
    ).rejects.toMatchObject({ code: 'REFUND.NO_PURCHASE' });
    const { attemptId } = await boughtWithStripe(1_500n);
    const other = await world.t.newTenant();
    await expect(requestPlanRefund(deps, other.actor, { attemptId, reason: 'x' })).rejects.toMatchObject({
      code: 'REFUND.NO_PURCHASE',
    });
    await expect(
      requestPlanRefund(deps, { ...tenant.actor, role: 'viewer' }, { attemptId, reason: 'x' }),
    ).rejects.toMatchObject({ code: 'AUTH.FORBIDDEN' });
    expect(
      await tenant.app.db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, attemptId)),
    ).toEqual([]);
  });

  it('reconciliation counts plan purchases and their refunds as Kasi’s: no difference for them', async () => {
    const { attemptId } = await boughtWithStripe(2_500n);
    await requestPlanRefund(deps, tenant.actor, { attemptId, reason: 'Wrong plan' });
    const tz = (await loadBillingSettings(tenant.app.db, tenant.actor.tenantId)).effectiveTimezone;
    const day = localDay(new Date(), tz);
    await runReconciliation(deps, tenant.actor, { day, gateway: 'stripe' });
    const view = await reconciliationDay(deps, tenant.actor, { day });
    const stripe = view.runs.find((r) => r.gateway === 'stripe')!;
    expect(stripe.differences).toEqual([]);
    expect(stripe.matchedCount).toBe(stripe.providerCount);
    expect(stripe.figures[0]).toMatchObject({ currency: 'KES' });
    expect(stripe.figures[0]!.refundsMinor).toBe(stripe.figures[0]!.kasiRefundsMinor);
  });

  it('a refund made in Stripe’s dashboard voids the code once; the echo of Kasi’s own refund adds nothing', async () => {
    const refundsOf = (attemptId: string) =>
      tenant.app.db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, attemptId));
    // In the dashboard: Stripe's charge.refunded, delivered twice and replayed.
    const outside = await boughtWithStripe(1_800n);
    const session = [...fakes.stripe.sessions.values()].find((x) => x.payment_intent === outside.receipt)!;
    fakes.stripe.refundOutside(session.id, 1_800);
    const told = fakes.stripe.delivery('charge.refunded', fakes.stripe.charge(session.id));
    const again = fakes.stripe.delivery('charge.refunded', fakes.stripe.charge(session.id));
    for (const d of [told, told, again]) {
      expect((await hooks.post(hookUrls.stripe, d.rawBody, d.headers)).status).toBe(200);
    }
    await applyPayments(deps, tenant.actor.tenantId);
    expect(await refundsOf(outside.attemptId)).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        amountMinor: 1_800n,
        gateway: 'stripe',
        reason: 'Refunded at stripe',
      }),
    ]);
    expect(await voucherOf(outside.voucher.id)).toMatchObject({ status: 'void' });
    const [r] = await refundsOf(outside.attemptId);
    expect((await auditsOf(r!.id)).map((a) => a.action)).toEqual(['payment.refund.record']);

    // Through Kasi, then Stripe's webhook about it: still one refund.
    const own = await boughtWithStripe(1_200n);
    await requestPlanRefund(deps, tenant.actor, { attemptId: own.attemptId, reason: 'Wrong plan' });
    const ownSession = [...fakes.stripe.sessions.values()].find((x) => x.payment_intent === own.receipt)!;
    const echo = fakes.stripe.delivery('charge.refunded', fakes.stripe.charge(ownSession.id));
    await hooks.post(hookUrls.stripe, echo.rawBody, echo.headers);
    await applyPayments(deps, tenant.actor.tenantId);
    expect(await refundsOf(own.attemptId)).toHaveLength(1);
  });
});
