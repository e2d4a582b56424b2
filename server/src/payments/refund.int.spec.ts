// Refunds and disputes: Stripe and PayPal refunds through their APIs (the fakes), M-Pesa
// reversals recorded with their reference, the two-person rule above the threshold, one
// reversing ledger entry and one audit row per refund, and provider webhooks (Stripe
// charge.refunded / charge.dispute.created, PayPal PAYMENT.CAPTURE.REFUNDED) posting once
// however often they come — including the webhook of a refund Kasi itself sent.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, invoices, ledgerEntries, paymentAttempts, paymentRefunds } from '@kasi/db';
import type { Actor } from '../app-context.ts';
import { addMember } from '../tenants/tenant.service.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { balanceOf } from '../billing/ledger.ts';
import { updateBillingSettings } from '../billing/billing-settings.service.ts';
import { createPayLink } from './pay-link.service.ts';
import { startFromLink } from './payment-attempt.service.ts';
import { reconcileStaleAttempts } from './payment-reconcile.job.ts';
import { decideRefund, listRefunds, requestRefund, sendRefund } from './refund.service.ts';
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
let usd: PaymentWorld;
let kes: PaymentWorld;
let hooksUsd: Awaited<ReturnType<typeof startHooksServer>>;
beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  const deps = paymentDeps(t, fakes);
  usd = await paymentWorld(t, deps, 'USD');
  kes = await paymentWorld(t, deps, 'KES');
  hooksUsd = await startHooksServer(deps);
});
afterAll(async () => {
  await hooksUsd.close();
  await fakes.close();
  await t.close();
});

async function secondOperator(owner: Actor): Promise<Actor> {
  const email = `op-${randomBytes(3).toString('hex')}@kasi.test`;
  const user = await addMember(t.app.db, {
    tenantId: owner.tenantId,
    email,
    name: 'Second',
    password: 'another good password',
    role: 'operator',
  });
  return { ...owner, userId: user.id, label: email, role: 'operator' };
}

async function linkFor(w: PaymentWorld, amountMinor: bigint) {
  const sub = await w.newSubscriber();
  const inv = await w.invoice(sub, amountMinor);
  const made = await createPayLink(w.deps, w.actor, { subscriberId: sub, invoiceId: inv.id });
  return { sub, token: made.url.split('/p/')[1]! };
}

const attemptOf = async (id: string) =>
  (await t.app.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, id)))[0]!;

/** A Stripe card payment, fulfilled through the signed webhook and the apply job. */
async function stripePaid(amountMinor: bigint) {
  const { sub, token } = await linkFor(usd, amountMinor);
  const { attemptId, started } = await startFromLink(usd.deps, { token, gateway: 'stripe' });
  const session = fakes.stripe.pay(started.providerRef);
  const d = fakes.stripe.delivery('checkout.session.completed', session);
  expect((await hooksUsd.post(usd.hookUrls.stripe, d.rawBody, d.headers)).status).toBe(200);
  await applyPayments(usd.deps, usd.actor.tenantId);
  const a = await attemptOf(attemptId);
  return { sub, paymentId: a.paymentId!, sessionId: started.providerRef };
}

/** A PayPal payment, captured by reconciliation after the buyer approved. */
async function paypalPaid(amountMinor: bigint) {
  const { sub, token } = await linkFor(usd, amountMinor);
  const { attemptId, started } = await startFromLink(usd.deps, { token, gateway: 'paypal' });
  fakes.paypal.approve(started.providerRef);
  await reconcileStaleAttempts(usd.deps, new Date(Date.now() + 5 * 60_000));
  const a = await attemptOf(attemptId);
  expect(a.status).toBe('succeeded');
  return { sub, paymentId: a.paymentId!, captureId: a.receipt! };
}

const refundEntries = (subscriberId: string) =>
  t.app.db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.subscriberId, subscriberId), eq(ledgerEntries.kind, 'refund')));
const refundsOf = (paymentId: string) =>
  t.app.db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, paymentId));
const auditsOf = (refundId: string) =>
  t.app.db.select().from(auditLog).where(eq(auditLog.entityId, refundId));

describe('refunds', () => {
  it('refunds a Stripe payment through Stripe, posts one reversing entry, and its charge.refunded webhook adds nothing', async () => {
    const { sub, paymentId, sessionId } = await stripePaid(2_500n);
    expect(await balanceOf(t.app.db, usd.actor.tenantId, sub)).toBe(0n);
    const r = await requestRefund(usd.deps, usd.actor, {
      paymentId,
      amountMinor: 1_000n,
      reason: 'Outage credit',
    });
    expect(r).toMatchObject({ status: 'succeeded', kind: 'refund', gateway: 'stripe' });
    expect(r.providerRefundId).toMatch(/^re_/);
    const call = fakes.stripe.requests.at(-1)!;
    expect(call.headers['idempotency-key']).toBe(`kasi-refund-${r.id}`);
    expect(new URLSearchParams(call.body).get('amount')).toBe('1000');
    expect(await refundEntries(sub)).toMatchObject([
      { amountMinor: 1_000n, sourceType: 'refund', sourceId: r.id },
    ]);
    expect(await balanceOf(t.app.db, usd.actor.tenantId, sub)).toBe(1_000n);
    expect((await auditsOf(r.id)).map((a) => a.action).sort()).toEqual([
      'payment.refund.create',
      'payment.refund.succeed',
    ]);

    // Stripe tells Kasi about the refund it made; replayed, and again under a new event id.
    const charge = fakes.stripe.charge(sessionId);
    const d = fakes.stripe.delivery('charge.refunded', charge);
    const again = fakes.stripe.delivery('charge.refunded', charge);
    for (const x of [d, d, d, again]) {
      expect((await hooksUsd.post(usd.hookUrls.stripe, x.rawBody, x.headers)).status).toBe(200);
    }
    await applyPayments(usd.deps, usd.actor.tenantId, 2);
    expect(await refundsOf(paymentId)).toHaveLength(1);
    expect(await refundEntries(sub)).toHaveLength(1);
    // Sending the same refund again is refused; the ledger keeps one entry.
    await expect(sendRefund(usd.deps, usd.actor, r)).rejects.toMatchObject({ code: 'REFUND.NOT_REQUESTED' });
    expect(await refundEntries(sub)).toHaveLength(1);
  });

  it('posts a refund made in the Stripe dashboard once, and a dispute once', async () => {
    const { sub, paymentId, sessionId } = await stripePaid(3_000n);
    fakes.stripe.refundOutside(sessionId, 700);
    const charge = fakes.stripe.charge(sessionId);
    const deliveries = [1, 2, 3].map(() => fakes.stripe.delivery('charge.refunded', charge));
    const dispute = fakes.stripe.dispute(sessionId, 2_300);
    const disputed = fakes.stripe.delivery('charge.dispute.created', dispute);
    await Promise.all(
      [...deliveries, disputed, disputed].map((x) =>
        hooksUsd.post(usd.hookUrls.stripe, x.rawBody, x.headers),
      ),
    );
    await applyPayments(usd.deps, usd.actor.tenantId, 4);
    const rows = await refundsOf(paymentId);
    expect(rows.map((r) => [r.kind, r.amountMinor]).sort()).toEqual([
      ['dispute', 2_300n],
      ['refund', 700n],
    ]);
    expect(rows.find((r) => r.kind === 'dispute')!.providerRefundId).toBe(dispute.id);
    expect(await refundEntries(sub)).toHaveLength(2);
    expect(await balanceOf(t.app.db, usd.actor.tenantId, sub)).toBe(3_000n);
  });

  it('refunds a PayPal capture through PayPal; the PAYMENT.CAPTURE.REFUNDED webhook adds nothing, and one made at PayPal posts once', async () => {
    const { sub, paymentId, captureId } = await paypalPaid(4_000n);
    const r = await requestRefund(usd.deps, usd.actor, {
      paymentId,
      amountMinor: 1_500n,
      reason: 'Moved away',
    });
    expect(r).toMatchObject({ status: 'succeeded', gateway: 'paypal' });
    const mine = fakes.paypal.refunds.find((x) => x.id === r.providerRefundId)!;
    expect(mine).toMatchObject({ captureId, amount: { value: '15.00' }, requestId: `kasi-refund-${r.id}` });
    const hook = fakes.paypal.delivery('PAYMENT.CAPTURE.REFUNDED', fakes.paypal.refundResource(mine));
    // One made in PayPal's own dashboard.
    const elsewhere = {
      id: 'PAYPALSIDE0000001',
      captureId,
      amount: { currency_code: 'USD', value: '5.00' },
      requestId: null,
      at: new Date(),
    };
    const other = fakes.paypal.delivery('PAYMENT.CAPTURE.REFUNDED', fakes.paypal.refundResource(elsewhere));
    for (const x of [hook, hook, other, other]) {
      expect((await hooksUsd.post(usd.hookUrls.paypal, x.rawBody, x.headers)).status).toBe(200);
    }
    await applyPayments(usd.deps, usd.actor.tenantId, 2);
    const rows = await refundsOf(paymentId);
    expect(rows.map((x) => x.amountMinor).sort()).toEqual([1_500n, 500n]);
    expect(await refundEntries(sub)).toHaveLength(2);
  });

  it('records an M-Pesa reversal with its reference, which it requires', async () => {
    const { sub, token } = await linkFor(kes, 150_000n);
    fakes.daraja.setNextOutcome(0);
    const { attemptId, started } = await startFromLink(kes.deps, {
      token,
      gateway: 'mpesa',
      phone: '0712345678',
    });
    const hooks = await startHooksServer(kes.deps);
    try {
      await hooks.post(kes.hookUrls.stk, fakes.daraja.callbackBody(started.providerRef, 0));
      await applyPayments(kes.deps, kes.actor.tenantId);
    } finally {
      await hooks.close();
    }
    const paymentId = (await attemptOf(attemptId)).paymentId!;
    await expect(
      requestRefund(kes.deps, kes.actor, { paymentId, amountMinor: 50_000n, reason: 'Double paid' }),
    ).rejects.toMatchObject({ code: 'REFUND.REFERENCE_REQUIRED', details: { field: 'reference' } });
    const r = await requestRefund(kes.deps, kes.actor, {
      paymentId,
      amountMinor: 50_000n,
      reason: 'Double paid',
      reference: 'RKT9REVERS1',
    });
    expect(r).toMatchObject({ status: 'succeeded', kind: 'reversal', reference: 'RKT9REVERS1' });
    expect(await refundEntries(sub)).toMatchObject([{ amountMinor: 50_000n }]);
    expect(await listRefunds(kes.deps, kes.actor, { paymentId })).toHaveLength(1);
    // Another tenant sees none of it.
    expect(await listRefunds(usd.deps, usd.actor, { paymentId })).toHaveLength(0);
    await expect(
      requestRefund(usd.deps, usd.actor, { paymentId, amountMinor: 1n, reason: 'x' }),
    ).rejects.toMatchObject({ code: 'PAYMENT.NOT_FOUND' });
  });

  it('takes a refunded payment back from the invoice it paid: "paid" becomes "partially paid", then "open"', async () => {
    const { sub, paymentId } = await stripePaid(10_000n);
    const invoiceOf = async () =>
      (await t.app.db.select().from(invoices).where(eq(invoices.subscriberId, sub)))[0]!;
    expect(await invoiceOf()).toMatchObject({ status: 'paid', allocatedMinor: 10_000n });
    await requestRefund(usd.deps, usd.actor, { paymentId, amountMinor: 4_000n, reason: 'Outage' });
    expect(await invoiceOf()).toMatchObject({ status: 'partially_paid', allocatedMinor: 6_000n });
    expect(await balanceOf(t.app.db, usd.actor.tenantId, sub)).toBe(4_000n);
    await requestRefund(usd.deps, usd.actor, { paymentId, amountMinor: 6_000n, reason: 'Cancelled' });
    expect(await invoiceOf()).toMatchObject({ status: 'open', allocatedMinor: 0n });
    expect(await balanceOf(t.app.db, usd.actor.tenantId, sub)).toBe(10_000n);
  });

  it('refuses more than is left, and writes nothing', async () => {
    const { paymentId } = await stripePaid(1_000n);
    const calls = fakes.stripe.requests.length;
    await expect(
      requestRefund(usd.deps, usd.actor, { paymentId, amountMinor: 1_001n, reason: 'Too much' }),
    ).rejects.toMatchObject({ code: 'REFUND.TOO_MUCH', details: { field: 'amountMinor' } });
    await expect(
      requestRefund(usd.deps, usd.actor, { paymentId, amountMinor: 0n, reason: 'Nothing' }),
    ).rejects.toMatchObject({ code: 'REFUND.AMOUNT_NOT_POSITIVE' });
    expect(await refundsOf(paymentId)).toHaveLength(0);
    expect(fakes.stripe.requests.length).toBe(calls);
  });

  it('above the threshold waits for a second person, who is not the requester, before Stripe is asked', async () => {
    const second = await secondOperator(usd.actor);
    await updateBillingSettings(t.app, usd.actor, { approvalThresholdMinor: 500n });
    try {
      const { sub, paymentId } = await stripePaid(2_000n);
      const calls = fakes.stripe.requests.length;
      const r = await requestRefund(usd.deps, usd.actor, { paymentId, amountMinor: 900n, reason: 'Outage' });
      expect(r).toMatchObject({ status: 'pending_approval', approval: 'pending' });
      expect(fakes.stripe.requests.length).toBe(calls);
      expect(await refundEntries(sub)).toHaveLength(0);
      await expect(
        decideRefund(usd.deps, usd.actor, { id: r.id, decision: 'approve' }),
      ).rejects.toMatchObject({
        code: 'BILLING.SELF_APPROVAL',
      });
      const done = await decideRefund(usd.deps, second, { id: r.id, decision: 'approve' });
      expect(done).toMatchObject({ status: 'succeeded', approval: 'approved', approvedBy: second.userId });
      expect(await refundEntries(sub)).toHaveLength(1);
      await expect(decideRefund(usd.deps, second, { id: r.id, decision: 'approve' })).rejects.toMatchObject({
        code: 'REFUND.NOT_PENDING',
      });
      expect((await auditsOf(r.id)).map((a) => a.action).sort()).toEqual([
        'payment.refund.approve',
        'payment.refund.request',
        'payment.refund.succeed',
      ]);
      const rejected = await requestRefund(usd.deps, usd.actor, {
        paymentId,
        amountMinor: 600n,
        reason: 'More',
      });
      await decideRefund(usd.deps, second, { id: rejected.id, decision: 'reject' });
      expect((await refundsOf(paymentId)).find((x) => x.id === rejected.id)).toMatchObject({
        status: 'rejected',
      });
      expect(await refundEntries(sub)).toHaveLength(1);
    } finally {
      await updateBillingSettings(t.app, usd.actor, { approvalThresholdMinor: null });
    }
  });
});
