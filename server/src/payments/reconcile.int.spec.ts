// Daily reconciliation and M-Pesa Transaction Status (ADR 0029) on real PostgreSQL, with the
// providers as local fakes speaking their HTTP shapes. Each test has its own fakes and tenant:
// a provider's list is the whole account's, so a shared fake would mix tenants' money.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { paymentAttempts, payments, reconciliationDifferences, reconciliationRuns } from '@kasi/db';
import { DARAJA_TEST_CREDENTIALS } from '@kasi/payments/testing';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { recordPayment } from '../billing/payment.service.ts';
import { loadBillingSettings } from '../billing/billing-settings.service.ts';
import { localDay } from '../billing/billing-calendar.ts';
import { createPayLink } from './pay-link.service.ts';
import { startFromLink } from './payment-attempt.service.ts';
import { reconcileStaleAttempts } from './payment-reconcile.job.ts';
import { setGateway } from './gateway-settings.service.ts';
import { listSuspense } from './suspense.service.ts';
import { reconcileTenantIfDue, reconciliationDay, runReconciliation } from './reconcile.service.ts';
import { checkMpesaReceipt } from './transaction-status.service.ts';
import { requestRefund } from './refund.service.ts';
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
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

interface World {
  fakes: PaymentFakes;
  w: PaymentWorld;
  hooks: Awaited<ReturnType<typeof startHooksServer>>;
  day: string;
}
const open: World[] = [];
afterEach(async () => {
  for (const x of open.splice(0)) {
    await x.hooks.close();
    await x.fakes.close();
  }
});

async function world(currency = 'KES'): Promise<World> {
  const fakes = await startPaymentFakes();
  const deps = paymentDeps(t, fakes);
  const hooks = await startHooksServer(deps);
  const w = await paymentWorld(t, deps, currency);
  const tz = (await loadBillingSettings(t.app.db, w.actor.tenantId)).effectiveTimezone;
  const x = { fakes, w, hooks, day: localDay(new Date(), tz) };
  open.push(x);
  return x;
}

async function invoiceLink(w: PaymentWorld, amountMinor: bigint) {
  const sub = await w.newSubscriber();
  const inv = await w.invoice(sub, amountMinor);
  const link = await createPayLink(w.deps, w.actor, { subscriberId: sub, invoiceId: inv.id });
  return { sub, inv, token: link.url.split('/p/')[1]! };
}

const runsOf = (tenantId: string) =>
  t.app.db.select().from(reconciliationRuns).where(eq(reconciliationRuns.tenantId, tenantId));
const differencesOf = (tenantId: string) =>
  t.app.db.select().from(reconciliationDifferences).where(eq(reconciliationDifferences.tenantId, tenantId));
const paymentsOf = (subscriberId: string) =>
  t.app.db.select().from(payments).where(eq(payments.subscriberId, subscriberId));

describe('Stripe reconciliation', () => {
  it('lists a Stripe charge missing in Kasi, not the matching ones; re-running the day is idempotent', async () => {
    const { fakes, w, hooks, day } = await world('USD');
    // Paid and told: Kasi has it.
    const a = await invoiceLink(w, 12_000n);
    const startedA = await startFromLink(w.deps, { token: a.token, gateway: 'stripe' });
    const paidA = fakes.stripe.pay(startedA.started.providerRef);
    const d = fakes.stripe.delivery('checkout.session.completed', paidA);
    expect((await hooks.post(w.hookUrls.stripe, d.rawBody, d.headers)).status).toBe(200);
    await applyPayments(w.deps, w.actor.tenantId, 1);
    expect(await paymentsOf(a.sub)).toHaveLength(1);
    // Paid at Stripe, but the webhook never came: Kasi does not know.
    const b = await invoiceLink(w, 7_500n);
    const startedB = await startFromLink(w.deps, { token: b.token, gateway: 'stripe' });
    const paidB = fakes.stripe.pay(startedB.started.providerRef);
    // Cash at the counter, for the day's totals.
    const c = await w.newSubscriber();
    await recordPayment(t.app, w.actor, {
      subscriberId: c,
      amountMinor: 3_000n,
      currency: 'USD',
      method: 'cash',
    });

    const [run] = await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    expect(run).toMatchObject({ gateway: 'stripe', status: 'differences', differenceCount: 1 });
    const view = await reconciliationDay(w.deps, w.actor, { day });
    const stripe = view.runs.find((r) => r.gateway === 'stripe')!;
    expect(stripe).toMatchObject({ source: 'provider', providerCount: 2, kasiCount: 1, matchedCount: 1 });
    expect(stripe.differences).toEqual([
      expect.objectContaining({
        kind: 'missing_in_kasi',
        providerRef: paidB.payment_intent,
        providerAmountMinor: 7_500n,
        providerCurrency: 'USD',
        paymentId: null,
      }),
    ]);
    expect(stripe.differences.some((x) => x.providerRef === paidA.payment_intent)).toBe(false);
    expect(view.totals).toEqual([
      { group: 'cash', currency: 'USD', totalMinor: 3_000n, count: 1 },
      { group: 'stripe', currency: 'USD', totalMinor: 12_000n, count: 1 },
    ]);

    // The same day again: one run, the same one difference.
    await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    expect(await runsOf(w.actor.tenantId)).toHaveLength(1);
    expect(await differencesOf(w.actor.tenantId)).toEqual([
      expect.objectContaining({ kind: 'missing_in_kasi', providerRef: paidB.payment_intent }),
    ]);

    // The late webhook lands: the day matches.
    const late = fakes.stripe.delivery('checkout.session.completed', paidB);
    await hooks.post(w.hookUrls.stripe, late.rawBody, late.headers);
    await applyPayments(w.deps, w.actor.tenantId, 1);
    const [again] = await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    expect(again).toMatchObject({ status: 'matched', differenceCount: 0 });
    expect(await differencesOf(w.actor.tenantId)).toEqual([]);

    // Stripe says another amount than Kasi recorded.
    const bt = fakes.stripe.balanceTransactions.find((x) => x.amount === 12_000)!;
    bt.amount = 11_000;
    await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    expect(await differencesOf(w.actor.tenantId)).toEqual([
      expect.objectContaining({
        kind: 'amount_mismatch',
        providerAmountMinor: 11_000n,
        kasiAmountMinor: 12_000n,
        paymentId: (await paymentsOf(a.sub))[0]!.id,
      }),
    ]);
    const [audits] = await t.app.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where tenant_id = ${w.actor.tenantId} and action = 'payment.reconcile.run'`,
    );
    expect(audits!.n).toBe(5);
  });

  it('lists a Kasi card payment Stripe does not know, and refuses a day still to come and a viewer', async () => {
    const { w, day } = await world('USD');
    const sub = await w.newSubscriber();
    await recordPayment(t.app, w.actor, {
      subscriberId: sub,
      amountMinor: 4_000n,
      currency: 'USD',
      method: 'card',
      reference: 'pi_not_at_stripe',
      sourceId: 'attempt:made-up',
    });
    await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    expect(await differencesOf(w.actor.tenantId)).toEqual([
      expect.objectContaining({
        kind: 'missing_at_provider',
        providerRef: 'pi_not_at_stripe',
        kasiAmountMinor: 4_000n,
      }),
    ]);
    await expect(runReconciliation(w.deps, w.actor, { day: '2999-01-01' })).rejects.toMatchObject({
      code: 'PAYMENT.RECONCILE_FUTURE_DAY',
    });
    await expect(runReconciliation(w.deps, w.actor, { day: '2026-02-30' })).rejects.toMatchObject({
      code: 'BILLING.BAD_DATE',
    });
    await expect(runReconciliation(w.deps, { ...w.actor, role: 'viewer' }, { day })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });
});

describe('scheduled reconciliation', () => {
  it('reconciles yesterday for every enabled provider once the tenant clock passes 03:00, once', async () => {
    const { w } = await world('USD');
    const tz = (await loadBillingSettings(t.app.db, w.actor.tenantId)).effectiveTimezone;
    // Some instant whose local hour is 12 (any zone): noon local of today.
    const now = new Date();
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: 'numeric', hourCycle: 'h23' }).format(now),
    );
    const noon = new Date(now.getTime() + (12 - hour) * 3_600_000);
    const yesterday = new Date(noon.getTime() - 24 * 3_600_000);
    const early = new Date(noon.getTime() - 11 * 3_600_000); // 01:xx local
    expect(await reconcileTenantIfDue(w.deps, w.actor.tenantId, early)).toBe(0);
    expect(await reconcileTenantIfDue(w.deps, w.actor.tenantId, noon)).toBe(3);
    expect(await reconcileTenantIfDue(w.deps, w.actor.tenantId, noon)).toBe(0);
    const runs = await runsOf(w.actor.tenantId);
    expect(runs.map((r) => [r.gateway, r.day, r.trigger]).sort()).toEqual(
      ['mpesa', 'paypal', 'stripe'].map((g) => [g, localDay(yesterday, tz), 'schedule']),
    );
  });
});

describe('M-Pesa reconciliation', () => {
  it('with Pull Transactions lists C2B money Kasi lacks, saying which waits in suspense', async () => {
    const { fakes, w, hooks, day } = await world();
    await setGateway(w.deps, w.actor, {
      gateway: 'mpesa',
      config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill', c2bPull: true },
    });
    fakes.daraja.pullPageSize = 1; // pages through Daraja's offsets
    const sub = await w.newSubscriber();
    const [row] = await t.app.db.execute<{ username: string }>(
      sql`select username from subscribers where id = ${sub}`,
    );
    const known = fakes.daraja.payC2b({ amount: 300, billRef: row!.username });
    const typo = fakes.daraja.payC2b({ amount: 450, billRef: 'NOBODY-1' });
    const lost = fakes.daraja.payC2b({ amount: 200, billRef: row!.username });
    await hooks.post(w.hookUrls.c2bConfirm, known.confirmation);
    await hooks.post(w.hookUrls.c2bConfirm, typo.confirmation);
    await applyPayments(w.deps, w.actor.tenantId, 2);

    const [run] = await runReconciliation(w.deps, w.actor, { day, gateway: 'mpesa' });
    expect(run).toMatchObject({ status: 'differences', differenceCount: 2 });
    const diffs = await differencesOf(w.actor.tenantId);
    expect(diffs).toHaveLength(2);
    expect(diffs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'missing_in_kasi',
          providerRef: typo.transaction.transId,
          providerAmountMinor: 45_000n,
          inSuspense: true,
        }),
        expect.objectContaining({
          kind: 'missing_in_kasi',
          providerRef: lost.transaction.transId,
          providerAmountMinor: 20_000n,
          inSuspense: false,
        }),
      ]),
    );
    const [stored] = await runsOf(w.actor.tenantId);
    expect(stored).toMatchObject({ source: 'provider', providerCount: 3, kasiCount: 1, matchedCount: 1 });
  });

  it('without Pull compares Kasi’s payments with the receipts M-Pesa sent', async () => {
    const { fakes, w, hooks, day } = await world();
    const typo = fakes.daraja.payC2b({ amount: 150, billRef: 'NOBODY-2' });
    await hooks.post(w.hookUrls.c2bConfirm, typo.confirmation);
    await applyPayments(w.deps, w.actor.tenantId, 1);
    const [run] = await runReconciliation(w.deps, w.actor, { day, gateway: 'mpesa' });
    expect(run).toMatchObject({ differenceCount: 1 });
    const [stored] = await runsOf(w.actor.tenantId);
    expect(stored).toMatchObject({ source: 'kasi_receipts', providerCount: 1, kasiCount: 0 });
    expect(await differencesOf(w.actor.tenantId)).toEqual([
      expect.objectContaining({
        kind: 'missing_in_kasi',
        providerRef: typo.transaction.transId,
        inSuspense: true,
      }),
    ]);
  });
});

describe('PayPal reconciliation', () => {
  it('lists a capture Kasi never recorded', async () => {
    const { fakes, w, day } = await world('USD');
    const { token } = await invoiceLink(w, 5_000n);
    const { started } = await startFromLink(w.deps, { token, gateway: 'paypal' });
    fakes.paypal.approve(started.providerRef);
    const capture = fakes.paypal.captureNow(started.providerRef);
    await runReconciliation(w.deps, w.actor, { day, gateway: 'paypal' });
    expect(await differencesOf(w.actor.tenantId)).toEqual([
      expect.objectContaining({
        kind: 'missing_in_kasi',
        providerRef: capture.id,
        providerAmountMinor: 5_000n,
      }),
    ]);
  });
});

describe('refunds, fees and payouts', () => {
  const runOf = async (w: PaymentWorld, day: string, gateway: 'stripe' | 'paypal' | 'mpesa') =>
    (await reconciliationDay(w.deps, w.actor, { day })).runs.find((r) => r.gateway === gateway)!;

  it('Stripe: refunds both ways, fees on charges and on their own, payouts; figures per day', async () => {
    const { fakes, w, hooks, day } = await world('USD');
    const a = await invoiceLink(w, 12_000n);
    const { started } = await startFromLink(w.deps, { token: a.token, gateway: 'stripe' });
    const paid = fakes.stripe.pay(started.providerRef);
    const d = fakes.stripe.delivery('checkout.session.completed', paid);
    await hooks.post(w.hookUrls.stripe, d.rawBody, d.headers);
    await applyPayments(w.deps, w.actor.tenantId, 1);
    const [payment] = await paymentsOf(a.sub);
    // Through Kasi: Stripe lists it, Kasi has it.
    await requestRefund(w.deps, w.actor, { paymentId: payment!.id, amountMinor: 2_000n, reason: 'Outage' });
    // Through Kasi, but Stripe does not list it (say, another account's key).
    const lost = await requestRefund(w.deps, w.actor, {
      paymentId: payment!.id,
      amountMinor: 500n,
      reason: 'x',
    });
    const i = fakes.stripe.balanceTransactions.findIndex((b) => b.source === lost.providerRefundId);
    fakes.stripe.balanceTransactions.splice(i, 1);
    // In Stripe's dashboard, and its webhook never came.
    const outside = fakes.stripe.refundOutside(started.providerRef, 1_000);
    fakes.stripe.payout(5_000, 'usd');
    fakes.stripe.stripeFee(150, 'usd');

    const [run] = await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    expect(run).toMatchObject({ status: 'differences', differenceCount: 2 });
    const stripe = await runOf(w, day, 'stripe');
    expect(stripe.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'refund_missing_in_kasi',
          providerRef: outside,
          providerAmountMinor: 1_000n,
          providerCurrency: 'USD',
        }),
        expect.objectContaining({
          kind: 'refund_missing_at_provider',
          providerRef: lost.providerRefundId,
          paymentId: payment!.id,
          kasiAmountMinor: 500n,
        }),
      ]),
    );
    const fee = BigInt(Math.round(12_000 * 0.029) + 30) + 150n;
    expect(stripe.figures).toEqual([
      {
        currency: 'USD',
        grossMinor: 12_000n,
        feesMinor: fee,
        refundsMinor: 3_000n,
        disputesMinor: 0n,
        netMinor: 12_000n - fee - 3_000n,
        payoutsMinor: 5_000n,
        refundsFromKasi: false,
        kasiGrossMinor: 12_000n,
        kasiRefundsMinor: 2_500n,
        kasiDisputesMinor: 0n,
      },
    ]);
    // Once the dashboard refund is recorded in Kasi (its webhook, late), only the other is left.
    const late = fakes.stripe.delivery('charge.refunded', fakes.stripe.charge(started.providerRef));
    await hooks.post(w.hookUrls.stripe, late.rawBody, late.headers);
    await applyPayments(w.deps, w.actor.tenantId, 2);
    await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    expect((await runOf(w, day, 'stripe')).differences.map((x) => x.kind)).toEqual([
      'refund_missing_at_provider',
    ]);
  });

  it('PayPal: a refund made in PayPal is listed, Kasi’s own matches; fees from the search', async () => {
    const { fakes, w, day } = await world('USD');
    const { sub, token } = await invoiceLink(w, 4_000n);
    const { attemptId, started } = await startFromLink(w.deps, { token, gateway: 'paypal' });
    fakes.paypal.approve(started.providerRef);
    await reconcileStaleAttempts(w.deps, new Date(Date.now() + 5 * 60_000));
    const [payment] = await paymentsOf(sub);
    expect(payment).toBeDefined();
    await requestRefund(w.deps, w.actor, { paymentId: payment!.id, amountMinor: 1_000n, reason: 'Outage' });
    const outside = fakes.paypal.refundOutside(started.providerRef, '5.00');
    await runReconciliation(w.deps, w.actor, { day, gateway: 'paypal' });
    const paypal = await runOf(w, day, 'paypal');
    expect(paypal.differences).toEqual([
      expect.objectContaining({
        kind: 'refund_missing_in_kasi',
        providerRef: outside.id,
        providerAmountMinor: 500n,
      }),
    ]);
    const [a] = await t.app.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId));
    const capture = fakes.paypal.orders.get(started.providerRef)!.capture!;
    expect(capture.id).toBe(a!.receipt);
    const fee = BigInt(fakes.paypal.feeOf(capture));
    expect(paypal.figures).toEqual([
      expect.objectContaining({
        currency: 'USD',
        grossMinor: 4_000n,
        feesMinor: fee,
        refundsMinor: 1_500n,
        netMinor: 4_000n - fee - 1_500n,
        payoutsMinor: 0n,
        kasiRefundsMinor: 1_000n,
      }),
    ]);
  });

  it('M-Pesa: reversals recorded in Kasi are the refunds; fees and payouts are not reported', async () => {
    const { fakes, w, hooks, day } = await world();
    const sub = await w.newSubscriber();
    const [row] = await t.app.db.execute<{ username: string }>(
      sql`select username from subscribers where id = ${sub}`,
    );
    const paid = fakes.daraja.payC2b({ amount: 300, billRef: row!.username });
    await hooks.post(w.hookUrls.c2bConfirm, paid.confirmation);
    await applyPayments(w.deps, w.actor.tenantId, 1);
    const [payment] = await paymentsOf(sub);
    await requestRefund(w.deps, w.actor, {
      paymentId: payment!.id,
      amountMinor: 10_000n,
      reason: 'Paid twice',
      reference: 'RKT3REV0001',
    });
    await runReconciliation(w.deps, w.actor, { day, gateway: 'mpesa' });
    const mpesa = await runOf(w, day, 'mpesa');
    expect(mpesa.differences).toEqual([]);
    expect(mpesa.figures).toEqual([
      {
        currency: 'KES',
        grossMinor: 30_000n,
        feesMinor: null,
        refundsMinor: 10_000n,
        disputesMinor: 0n,
        netMinor: null,
        payoutsMinor: null,
        refundsFromKasi: true,
        kasiGrossMinor: 30_000n,
        kasiRefundsMinor: 10_000n,
        kasiDisputesMinor: 0n,
      },
    ]);
  });
});

describe('disputes (ADR 0037)', () => {
  const runOf = async (w: PaymentWorld, day: string, gateway: 'stripe' | 'paypal') =>
    (await reconciliationDay(w.deps, w.actor, { day })).runs.find((r) => r.gateway === gateway)!;

  async function stripePaid(x: World, amountMinor: bigint) {
    const link = await invoiceLink(x.w, amountMinor);
    const { started } = await startFromLink(x.w.deps, { token: link.token, gateway: 'stripe' });
    const paid = x.fakes.stripe.pay(started.providerRef);
    const d = x.fakes.stripe.delivery('checkout.session.completed', paid);
    await x.hooks.post(x.w.hookUrls.stripe, d.rawBody, d.headers);
    await applyPayments(x.w.deps, x.w.actor.tenantId, 1);
    const [payment] = await paymentsOf(link.sub);
    return { sessionId: started.providerRef, payment: payment!, intent: paid.payment_intent! };
  }

  it('Stripe: a dispute on both sides matches; one only at Stripe, one only in Kasi and one won are listed; figures add up', async () => {
    const x = await world('USD');
    const { fakes, w, hooks, day } = x;
    const told = async (d: Record<string, unknown>) => {
      const hook = fakes.stripe.delivery('charge.dispute.created', d);
      expect((await hooks.post(w.hookUrls.stripe, hook.rawBody, hook.headers)).status).toBe(200);
      await applyPayments(w.deps, w.actor.tenantId, 1);
    };
    // Disputed and told: Kasi recorded it, Stripe lists its withdrawal. Later won.
    const a = await stripePaid(x, 10_000n);
    const both = fakes.stripe.dispute(a.sessionId, 10_000);
    await told({ ...both });
    // Disputed at Stripe; the webhook never came.
    const b = await stripePaid(x, 6_000n);
    const stripeOnly = fakes.stripe.dispute(b.sessionId, 4_000);
    // Recorded in Kasi, but Stripe lists no withdrawal for it on the day.
    const c = await stripePaid(x, 3_000n);
    const kasiOnly = fakes.stripe.dispute(c.sessionId, 3_000);
    await told({ ...kasiOnly });
    fakes.stripe.balanceTransactions.splice(
      fakes.stripe.balanceTransactions.findIndex((t) => t.source === kasiOnly.id),
      1,
    );

    await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    let stripe = await runOf(w, day, 'stripe');
    expect(stripe.differences).toHaveLength(2);
    expect(stripe.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'dispute_missing_in_kasi',
          providerRef: stripeOnly.id,
          paymentId: b.payment.id,
          providerAmountMinor: 4_000n,
          providerCurrency: 'USD',
        }),
        expect.objectContaining({
          kind: 'dispute_missing_at_provider',
          providerRef: kasiOnly.id,
          paymentId: c.payment.id,
          kasiAmountMinor: 3_000n,
        }),
      ]),
    );
    const chargeFees = [10_000, 6_000, 3_000].reduce((s, v) => s + BigInt(Math.round(v * 0.029) + 30), 0n);
    const fees = chargeFees + 2n * 1_500n; // the two dispute fees Stripe lists
    expect(stripe.figures).toEqual([
      {
        currency: 'USD',
        grossMinor: 19_000n,
        feesMinor: fees,
        refundsMinor: 0n,
        disputesMinor: 14_000n,
        netMinor: 19_000n - fees - 14_000n,
        payoutsMinor: 0n,
        refundsFromKasi: false,
        kasiGrossMinor: 19_000n,
        kasiRefundsMinor: 0n,
        kasiDisputesMinor: 13_000n,
      },
    ]);
    // Net is what Stripe's own balance transactions add up to (payouts aside).
    const stripeNet = fakes.stripe.balanceTransactions.reduce((s, t) => s + BigInt(t.net), 0n);
    expect(stripe.figures[0]!.netMinor).toBe(stripeNet);

    // The first dispute is won: Stripe gives the money back, Kasi does not post it by itself.
    fakes.stripe.winDispute(both.id);
    const closed = fakes.stripe.delivery('charge.dispute.closed', { ...both, status: 'won' });
    await hooks.post(w.hookUrls.stripe, closed.rawBody, closed.headers);
    await applyPayments(w.deps, w.actor.tenantId, 1);
    await runReconciliation(w.deps, w.actor, { day, gateway: 'stripe' });
    stripe = await runOf(w, day, 'stripe');
    expect(stripe.differences).toHaveLength(3);
    expect(stripe.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'dispute_reinstated',
          providerRef: both.id,
          paymentId: a.payment.id,
          providerAmountMinor: 10_000n,
        }),
      ]),
    );
    expect(stripe.figures[0]).toMatchObject({ disputesMinor: 4_000n, netMinor: 19_000n - fees - 4_000n });
    expect(stripe.figures[0]!.netMinor).toBe(
      fakes.stripe.balanceTransactions.reduce((s, t) => s + BigInt(t.net), 0n),
    );
  });

  it('PayPal: a chargeback Kasi recorded from the capture-reversed webhook matches, a hold is no refund, one unknown and one reversed are listed', async () => {
    const x = await world('USD');
    const { fakes, w, hooks, day } = x;
    const paid = async (amountMinor: bigint) => {
      const { sub, token } = await invoiceLink(w, amountMinor);
      const { started } = await startFromLink(w.deps, { token, gateway: 'paypal' });
      fakes.paypal.approve(started.providerRef);
      await reconcileStaleAttempts(w.deps, new Date(Date.now() + 5 * 60_000));
      const [payment] = await paymentsOf(sub);
      expect(payment).toBeDefined();
      return { orderId: started.providerRef, payment: payment! };
    };
    // Charged back with PayPal's fee; Kasi learnt of it by PAYMENT.CAPTURE.REVERSED (a refund row).
    const a = await paid(4_000n);
    const cb = fakes.paypal.chargeback(a.orderId, '40.00', { fee: 2_000 });
    const capture = fakes.paypal.orders.get(a.orderId)!.capture!;
    const reversed = fakes.paypal.delivery('PAYMENT.CAPTURE.REVERSED', {
      id: randomUUID().replaceAll('-', '').slice(0, 17).toUpperCase(),
      status: 'COMPLETED',
      amount: { currency_code: 'USD', value: '40.00' },
      links: [{ href: `${fakes.paypal.url}/v2/payments/captures/${capture.id}`, rel: 'up', method: 'GET' }],
    });
    expect((await hooks.post(w.hookUrls.paypal, reversed.rawBody, reversed.headers)).status).toBe(200);
    await applyPayments(w.deps, w.actor.tenantId, 1);
    // Money held while a dispute is looked into, then let go: nothing went back.
    const b = await paid(3_000n);
    fakes.paypal.releaseHold(fakes.paypal.holdForDispute(b.orderId, '30.00'));
    fakes.paypal.holdForDispute(b.orderId, '30.00');
    // Charged back, Kasi never told; then reversed (the seller won).
    const c = await paid(2_500n);
    const unknown = fakes.paypal.chargeback(c.orderId, '25.00');
    const won = fakes.paypal.reverseChargeback(unknown);

    await runReconciliation(w.deps, w.actor, { day, gateway: 'paypal' });
    const paypal = await runOf(w, day, 'paypal');
    expect(paypal.differences).toHaveLength(2);
    expect(paypal.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'dispute_missing_in_kasi',
          providerRef: unknown.id,
          paymentId: c.payment.id,
          providerAmountMinor: 2_500n,
        }),
        expect.objectContaining({
          kind: 'dispute_reinstated',
          providerRef: won.id,
          paymentId: c.payment.id,
          providerAmountMinor: 2_500n,
        }),
      ]),
    );
    expect(paypal.differences.some((d) => d.providerRef === cb.id)).toBe(false);
    const captureFees = [a, b, c].reduce(
      (s, p) => s + BigInt(fakes.paypal.feeOf(fakes.paypal.orders.get(p.orderId)!.capture!)),
      0n,
    );
    expect(paypal.figures).toEqual([
      expect.objectContaining({
        currency: 'USD',
        grossMinor: 9_500n,
        feesMinor: captureFees + 2_000n,
        refundsMinor: 0n,
        disputesMinor: 4_000n,
        netMinor: 9_500n - captureFees - 2_000n - 4_000n,
        kasiRefundsMinor: 4_000n,
        kasiDisputesMinor: 0n,
      }),
    ]);
  });
});

describe('M-Pesa Transaction Status', () => {
  async function withInitiator() {
    const x = await world();
    await setGateway(x.w.deps, x.w.actor, {
      gateway: 'mpesa',
      config: {
        ...DARAJA_TEST_CREDENTIALS,
        kind: 'paybill',
        initiatorName: 'kasiapi',
        securityCredential: 'c2VjcmV0LWVuY3J5cHRlZA==',
      },
    });
    return x;
  }

  it('a paid callback the STK query cannot confirm is checked by Transaction Status on its receipt, once', async () => {
    const { fakes, w, hooks } = await withInitiator();
    const { sub, token } = await invoiceLink(w, 90_000n);
    fakes.daraja.setNextOutcome('pending');
    const { attemptId, started } = await startFromLink(w.deps, {
      token,
      gateway: 'mpesa',
      phone: '0712345678',
    });
    const checkoutId = started.providerRef;
    const push = fakes.daraja.pushes.find((p) => p.checkoutRequestId === checkoutId)!;
    // The STK query says "being processed"; before 10 minutes nothing more is asked.
    await reconcileStaleAttempts(w.deps, new Date(Date.now() + 3 * 60_000));
    expect(fakes.daraja.statusQueries).toHaveLength(0);
    // The buyer paid and the callback came, but Daraja's STK query has forgotten the push: the
    // unsigned callback is not believed, its receipt is kept as a lead.
    fakes.daraja.settle(checkoutId, 0);
    push.forgotten = true;
    expect((await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, 0))).status).toBe(200);
    await applyPayments(w.deps, w.actor.tenantId, 1);
    expect(await paymentsOf(sub)).toHaveLength(0);
    await reconcileStaleAttempts(w.deps, new Date(Date.now() + 11 * 60_000));
    await reconcileStaleAttempts(w.deps, new Date(Date.now() + 14 * 60_000));
    expect(fakes.daraja.statusQueries).toHaveLength(1); // asked once
    const q = fakes.daraja.statusQueries[0]!;
    // By the receipt, as Safaricom documents it; never by the CheckoutRequestID.
    expect(q.request).toMatchObject({
      CommandID: 'TransactionStatusQuery',
      TransactionID: push.receipt,
      Initiator: 'kasiapi',
    });
    expect(q.request).not.toHaveProperty('OriginalConversationID');
    const resultUrl = String(q.request.ResultURL);
    expect(resultUrl).toMatch(/\/hooks\/mm\/[\w-]+\/status\/result$/);

    // A forged answer (another Occasion) changes nothing.
    const forged = fakes.daraja.statusResultBody(q).replace(String(q.request.Occasion), randomUUID());
    expect((await hooks.post(resultUrl, forged)).status).toBe(200);
    expect(await paymentsOf(sub)).toHaveLength(0);

    const answer = fakes.daraja.statusResultBody(q);
    const res = await hooks.post(resultUrl, answer);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ResultCode: 0, ResultDesc: 'Accepted' });
    await hooks.post(resultUrl, answer);
    expect(await paymentsOf(sub)).toEqual([
      expect.objectContaining({ amountMinor: 90_000n, reference: push.receipt }),
    ]);
    const [a] = await t.app.db
      .select()
      .from(paymentAttempts)
      .where(and(eq(paymentAttempts.tenantId, w.actor.tenantId), eq(paymentAttempts.id, attemptId)));
    expect(a).toMatchObject({ status: 'succeeded', receipt: push.receipt });
  });

  it('never asks Transaction Status by a CheckoutRequestID, and a lead naming other money credits nothing', async () => {
    const { fakes, w, hooks } = await withInitiator();
    // A push with no callback at all, forgotten by the STK query: no receipt, nothing to ask.
    const quiet = await invoiceLink(w, 20_000n);
    fakes.daraja.setNextOutcome('pending');
    const lost = await startFromLink(w.deps, { token: quiet.token, gateway: 'mpesa', phone: '0712345678' });
    fakes.daraja.pushes.find((p) => p.checkoutRequestId === lost.started.providerRef)!.forgotten = true;
    // A forged "paid" callback for a push nobody paid, quoting the receipt of 1 shilling paid
    // to the Paybill: Transaction Status finds that receipt, but not with this attempt's amount.
    const forged = await invoiceLink(w, 80_000n);
    const other = await startFromLink(w.deps, { token: forged.token, gateway: 'mpesa', phone: '0712345679' });
    fakes.daraja.pushes.find((p) => p.checkoutRequestId === other.started.providerRef)!.forgotten = true;
    const shilling = fakes.daraja.payC2b({ amount: 1, billRef: 'anything' });
    await hooks.post(
      w.hookUrls.stk,
      fakes.daraja.callbackBody(other.started.providerRef, 0, {
        amount: 800,
        receipt: shilling.transaction.transId,
      }),
    );
    await applyPayments(w.deps, w.actor.tenantId, 1);
    await reconcileStaleAttempts(w.deps, new Date(Date.now() + 11 * 60_000));
    expect(fakes.daraja.statusQueries.map((q) => q.request.TransactionID)).toEqual([
      shilling.transaction.transId,
    ]);
    const q = fakes.daraja.statusQueries[0]!;
    await hooks.post(String(q.request.ResultURL), fakes.daraja.statusResultBody(q));
    expect(await paymentsOf(forged.sub)).toHaveLength(0);
    expect(await paymentsOf(quiet.sub)).toHaveLength(0);
    const states = await t.app.db
      .select({ id: paymentAttempts.id, status: paymentAttempts.status })
      .from(paymentAttempts)
      .where(eq(paymentAttempts.tenantId, w.actor.tenantId));
    expect(states.map((x) => x.status)).toEqual(['pending', 'pending']);
  });

  it('a receipt a customer quotes is found and waits in suspense; garbage is refused', async () => {
    const { fakes, w, hooks, day } = await withInitiator();
    const paid = fakes.daraja.payC2b({ amount: 250, billRef: 'whoever' }); // confirmation lost
    await expect(checkMpesaReceipt(w.deps, w.actor, { receipt: 'not a receipt!' })).rejects.toMatchObject({
      code: 'PAYMENT.BAD_RECEIPT',
    });
    const asked = await checkMpesaReceipt(w.deps, w.actor, {
      receipt: paid.transaction.transId.toLowerCase(),
    });
    expect(asked.state).toBe('sent');
    const q = fakes.daraja.statusQueries.at(-1)!;
    expect(q.request.TransactionID).toBe(paid.transaction.transId);
    await hooks.post(String(q.request.ResultURL), fakes.daraja.statusResultBody(q));
    await applyPayments(w.deps, w.actor.tenantId, 1);
    const waiting = await listSuspense(w.deps, w.actor);
    expect(waiting).toEqual([
      expect.objectContaining({ transactionId: paid.transaction.transId, amountMinor: 25_000n }),
    ]);
    // The confirmation arrives after all: the same inbox key, nothing new.
    await hooks.post(w.hookUrls.c2bConfirm, paid.confirmation);
    expect(await listSuspense(w.deps, w.actor)).toHaveLength(1);
    const view = await reconciliationDay(w.deps, w.actor, { day });
    expect(view.statusQueries).toEqual([
      expect.objectContaining({
        state: 'completed',
        receipt: paid.transaction.transId,
        amountMinor: 25_000n,
      }),
    ]);
  });

  it('an unknown receipt is answered "not found" and credits nothing', async () => {
    const { fakes, w, hooks, day } = await withInitiator();
    await checkMpesaReceipt(w.deps, w.actor, { receipt: 'RKX0000000' });
    const q = fakes.daraja.statusQueries.at(-1)!;
    await hooks.post(String(q.request.ResultURL), fakes.daraja.statusResultBody(q));
    const view = await reconciliationDay(w.deps, w.actor, { day });
    expect(view.statusQueries).toEqual([
      expect.objectContaining({ transactionId: 'RKX0000000', state: 'not_found', receipt: null }),
    ]);
    expect(await listSuspense(w.deps, w.actor)).toEqual([]);
  });
});
