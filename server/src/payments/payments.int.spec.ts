import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { billingEvents, paymentAttempts, paymentEvents, payments, pendingPayments } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { getInvoice } from '../billing/invoice.service.ts';
import { balanceOf } from '../billing/ledger.ts';
import { createCreditNote } from '../billing/credit-note.service.ts';
import { createPayLink, openPayLink } from './pay-link.service.ts';
import { payLinkCommand } from './pay-link.command.ts';
import { listSuspense, matchSuspense } from './suspense.service.ts';
import { startFromLink } from './payment-attempt.service.ts';
import { reconcileStaleAttempts } from './payment-reconcile.job.ts';
import { setGateway, testGateway, listGateways } from './gateway-settings.service.ts';
import { DARAJA_TEST_CREDENTIALS } from '@kasi/payments/testing';
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
beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  const deps = paymentDeps(t, fakes);
  hooks = await startHooksServer(deps);
  w = await paymentWorld(t, deps);
});
afterAll(async () => {
  await hooks.close();
  await fakes.close();
  await t.close();
});

const tokenOf = (url: string) => url.split('/p/')[1]!;

async function invoiceLink(amountMinor: bigint) {
  const sub = await w.newSubscriber();
  const inv = await w.invoice(sub, amountMinor);
  const link = await createPayLink(w.deps, w.actor, { subscriberId: sub, invoiceId: inv.id });
  return { sub, inv, token: tokenOf(link.url) };
}

async function pushFor(token: string, outcome: number | 'pending' = 'pending') {
  fakes.daraja.setNextOutcome(outcome);
  const { attemptId, started } = await startFromLink(w.deps, {
    token,
    gateway: 'mpesa',
    phone: '0712345678',
  });
  return { attemptId, checkoutId: started.providerRef };
}

const paymentsOf = (subscriberId: string) =>
  t.app.db.select().from(payments).where(eq(payments.subscriberId, subscriberId));
const attempt = async (id: string) =>
  (await t.app.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, id)))[0]!;
const holds = async (subscriberId: string) =>
  (await t.app.db.select().from(pendingPayments).where(eq(pendingPayments.subscriberId, subscriberId)))
    .length;

describe('M-Pesa through a pay link', () => {
  it('pushes, takes the paid callback once, confirms it by STK query, pays the invoice and clears the balance', async () => {
    const { sub, inv, token } = await invoiceLink(150_000n);
    const { attemptId, checkoutId } = await pushFor(token, 0);
    expect(fakes.daraja.pushes.at(-1)!.request).toMatchObject({ Amount: 1500, CallBackURL: w.hookUrls.stk });
    expect(await holds(sub)).toBe(1);

    const res = await hooks.post(
      w.hookUrls.stk,
      fakes.daraja.callbackBody(checkoutId, 0, { receipt: 'RKT0000001' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ResultCode: 0, ResultDesc: 'Accepted' });
    await applyPayments(w.deps, w.actor.tenantId);

    const paid = await paymentsOf(sub);
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({
      amountMinor: 150_000n,
      method: 'mpesa',
      reference: 'RKT0000001',
      sourceId: `attempt:${attemptId}`,
    });
    expect((await getInvoice(t.app, w.actor, inv.id)).status).toBe('paid');
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(0n);
    expect(await attempt(attemptId)).toMatchObject({
      status: 'succeeded',
      receipt: 'RKT0000001',
      paymentId: paid[0]!.id,
    });
    const cleared = await t.app.db
      .select()
      .from(billingEvents)
      .where(and(eq(billingEvents.subscriberId, sub), eq(billingEvents.kind, 'balance_cleared')));
    expect(cleared).toHaveLength(1);
    expect(await holds(sub)).toBe(0);
  });

  it('stores one event and records one payment when the same callback comes 20 times at once', async () => {
    const { sub, token } = await invoiceLink(50_000n);
    const { checkoutId } = await pushFor(token, 0);
    const body = fakes.daraja.callbackBody(checkoutId, 0);
    const answers = await Promise.all(Array.from({ length: 20 }, () => hooks.post(w.hookUrls.stk, body)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const stored = await t.app.db
      .select()
      .from(paymentEvents)
      .where(eq(paymentEvents.providerRef, checkoutId));
    expect(stored).toHaveLength(1);
    await applyPayments(w.deps, w.actor.tenantId, 2);
    // A late replay after the effect: acknowledged, nothing new.
    expect((await hooks.post(w.hookUrls.stk, body)).status).toBe(200);
    expect(await paymentsOf(sub)).toHaveLength(1);
  });

  it.each([
    [1032, 'You cancelled the payment on your phone.'],
    [2001, 'The M-Pesa PIN was wrong. Try again.'],
    [1019, 'The request expired before the PIN was entered. Try again.'],
  ])('records result %i with its exact reason and no payment', async (code, reason) => {
    const { sub, token } = await invoiceLink(20_000n);
    const { attemptId, checkoutId } = await pushFor(token, code);
    await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, code));
    await applyPayments(w.deps, w.actor.tenantId, 1);
    expect(await attempt(attemptId)).toMatchObject({ status: 'failed', resultCode: String(code), reason });
    expect(await paymentsOf(sub)).toHaveLength(0);
    expect(await holds(sub)).toBe(0);
  });

  it('does not credit a "paid" callback that the STK query contradicts', async () => {
    const { sub, token } = await invoiceLink(30_000n);
    const { attemptId, checkoutId } = await pushFor(token, 1032);
    await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, 0));
    const [job] = await applyPayments(w.deps, w.actor.tenantId, 1).then((jobs) =>
      jobs.filter((j) => (j.output as { outcome?: string } | null)?.outcome === 'unconfirmed'),
    );
    expect(job).toBeDefined();
    expect(await paymentsOf(sub)).toHaveLength(0);
    expect((await attempt(attemptId)).status).toBe('pending');
  });

  it('keeps a callback for an unknown CheckoutRequestID without crediting anyone', async () => {
    const res = await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody('ws_CO_unknown_1', 0));
    expect(res.status).toBe(200);
    const [ev] = await t.app.db
      .select()
      .from(paymentEvents)
      .where(eq(paymentEvents.providerRef, 'ws_CO_unknown_1'));
    expect(ev).toMatchObject({ appliedAt: null, attemptId: null });
  });

  it('applies a callback that arrives before the push was answered, once the attempt is stored', async () => {
    const { sub, token } = await invoiceLink(25_000n);
    fakes.daraja.beforePushAnswer = async (push) => {
      const res = await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(push.checkoutRequestId, 0));
      expect(res.status).toBe(200);
    };
    try {
      const { attemptId, checkoutId } = await pushFor(token, 0);
      const [early] = await t.app.db
        .select()
        .from(paymentEvents)
        .where(eq(paymentEvents.providerRef, checkoutId));
      expect(early).toBeDefined();
      await applyPayments(w.deps, w.actor.tenantId, 2);
      expect(await attempt(attemptId)).toMatchObject({ status: 'succeeded' });
      expect(await paymentsOf(sub)).toHaveLength(1);
    } finally {
      fakes.daraja.beforePushAnswer = null;
    }
  });

  it('credits a payment for an invoice voided meanwhile as credit, never lost', async () => {
    const { sub, inv, token } = await invoiceLink(60_000n);
    const { checkoutId } = await pushFor(token, 0);
    await createCreditNote(t.app, w.actor, { invoiceId: inv.id, reason: 'billed in error' });
    await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, 0));
    await applyPayments(w.deps, w.actor.tenantId, 1);
    expect(await paymentsOf(sub)).toHaveLength(1);
    expect(await balanceOf(t.app.db, w.actor.tenantId, sub)).toBe(-60_000n);
  });

  it('takes the real payment after a failure callback for the same push (out of order)', async () => {
    const { sub, token } = await invoiceLink(35_000n);
    const { attemptId, checkoutId } = await pushFor(token, 0);
    await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, 1037));
    await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, 0));
    await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, 1037));
    await applyPayments(w.deps, w.actor.tenantId, 2);
    expect(await attempt(attemptId)).toMatchObject({ status: 'succeeded' });
    expect(await paymentsOf(sub)).toHaveLength(1);
  });

  it('sends no second prompt while one waits on the same link', async () => {
    const { token } = await invoiceLink(10_000n);
    const pushes = fakes.daraja.pushes.length;
    await pushFor(token);
    await expect(pushFor(token)).rejects.toMatchObject({ code: 'PAYMENT.PUSH_WAITING' });
    expect(fakes.daraja.pushes.length).toBe(pushes + 1);
  });

  it('finds a payment whose callback never arrives with the reconciliation query', async () => {
    const { sub, inv, token } = await invoiceLink(70_000n);
    const { attemptId, checkoutId } = await pushFor(token);
    // Too early: not asked yet.
    expect((await reconcileStaleAttempts(w.deps)).asked).toBe(0);
    const later = new Date(Date.now() + 3 * 60_000);
    expect((await attempt(attemptId)).status).toBe('pending');
    const pending = await reconcileStaleAttempts(w.deps, later);
    expect(pending.pending).toBeGreaterThanOrEqual(1);
    fakes.daraja.settle(checkoutId, 0);
    await reconcileStaleAttempts(w.deps, new Date(later.getTime() + 3 * 60_000));
    expect(await attempt(attemptId)).toMatchObject({ status: 'succeeded' });
    expect(await paymentsOf(sub)).toHaveLength(1);
    expect((await getInvoice(t.app, w.actor, inv.id)).status).toBe('paid');
    // The callback turns up after all: acknowledged, applied as a duplicate.
    await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, 0));
    await applyPayments(w.deps, w.actor.tenantId, 1);
    expect(await paymentsOf(sub)).toHaveLength(1);
  });

  it('answers a callback for an attempt already settled with 200, no second effect and no STK query', async () => {
    const { sub, token } = await invoiceLink(40_000n);
    const { attemptId, checkoutId } = await pushFor(token);
    fakes.daraja.settle(checkoutId, 0);
    await reconcileStaleAttempts(w.deps, new Date(Date.now() + 3 * 60_000));
    expect(await attempt(attemptId)).toMatchObject({ status: 'succeeded' });
    // Daraja forgets the push; the callback only now arrives. Asking the STK query again would
    // fail (and the job retry for ever): the attempt is settled, so nothing is asked.
    fakes.daraja.pushes.find((p) => p.checkoutRequestId === checkoutId)!.forgotten = true;
    const queried = () =>
      fakes.daraja.requests.filter(
        (r) => r.path === '/mpesa/stkpushquery/v1/query' && r.body.includes(checkoutId),
      ).length;
    const queriesBefore = queried();
    const res = await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, 0));
    expect(res.status).toBe(200);
    const jobs = await applyPayments(w.deps, w.actor.tenantId, 1);
    const [ev] = await t.app.db.select().from(paymentEvents).where(eq(paymentEvents.providerRef, checkoutId));
    expect(ev).toMatchObject({ outcome: 'duplicate', attemptId });
    expect(ev!.appliedAt).not.toBeNull();
    const job = jobs.find((j) => (j.data as { eventId?: string }).eventId === ev!.id)!;
    expect(job).toMatchObject({ state: 'completed', output: { outcome: 'duplicate' } });
    expect(queried()).toBe(queriesBefore);
    expect(await paymentsOf(sub)).toHaveLength(1);
  });

  it('keeps a paid callback the STK query no longer knows as a lead, crediting nothing', async () => {
    const { sub, token } = await invoiceLink(45_000n);
    const { attemptId, checkoutId } = await pushFor(token);
    fakes.daraja.settle(checkoutId, 0);
    fakes.daraja.pushes.find((p) => p.checkoutRequestId === checkoutId)!.forgotten = true;
    await hooks.post(w.hookUrls.stk, fakes.daraja.callbackBody(checkoutId, 0, { receipt: 'RKL0000045' }));
    const jobs = await applyPayments(w.deps, w.actor.tenantId, 1);
    const [ev] = await t.app.db.select().from(paymentEvents).where(eq(paymentEvents.providerRef, checkoutId));
    expect(ev).toMatchObject({ outcome: 'unconfirmed' });
    expect(jobs.find((j) => (j.data as { eventId?: string }).eventId === ev!.id)).toMatchObject({
      state: 'completed',
    });
    expect(await attempt(attemptId)).toMatchObject({ status: 'pending', receipt: 'RKL0000045' });
    expect(await paymentsOf(sub)).toHaveLength(0);
  });

  it('refuses malformed JSON and unknown hook tokens, storing nothing', async () => {
    const before = await t.app.db.select({ n: sql<number>`count(*)::int` }).from(paymentEvents);
    expect((await hooks.post(w.hookUrls.stk, '{oops')).status).toBe(400);
    expect(
      (await hooks.post(w.hookUrls.stk.replace(/mm\/[^/]+/, 'mm/AAAAAAAAAAAAAAAAAAAAAA'), '{}')).status,
    ).toBe(404);
    const after = await t.app.db.select({ n: sql<number>`count(*)::int` }).from(paymentEvents);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('reads a callback sent in pieces, and answers one past 64 KB with 413, storing nothing', async () => {
    const count = async () =>
      (await t.app.db.select({ n: sql<number>`count(*)::int` }).from(paymentEvents))[0]!.n;
    const before = await count();
    const body = fakes.daraja.callbackBody('ws_CO_in_pieces_1', 0);
    const third = Math.ceil(body.length / 3);
    const pieces = [body.slice(0, third), body.slice(third, 2 * third), body.slice(2 * third)];
    expect((await hooks.postChunks(w.hookUrls.stk, pieces)).status).toBe(200);
    expect(await count()).toBe(before + 1);

    const large = Array.from({ length: 20 }, () => ' '.repeat(8 * 1024));
    const refused = await hooks.postChunks(w.hookUrls.stk, [body.slice(0, -1), ...large, '}']);
    expect(refused.status).toBe(413);
    expect(await count()).toBe(before + 1);
  });

  it('credits a C2B Paybill payment to the account typed, once; an unknown account waits in suspense until matched', async () => {
    const sub = await w.newSubscriber();
    await w.invoice(sub, 40_000n);
    const [row] = await t.app.db.execute<{ username: string }>(
      sql`select username from subscribers where id = ${sub}`,
    );
    const c2b = (transId: string, account: string) =>
      JSON.stringify({
        TransactionType: 'Pay Bill',
        TransID: transId,
        TransAmount: '400.00',
        BillRefNumber: account,
        MSISDN: '2547****678',
      });
    const validate = await hooks.post(w.hookUrls.c2bValidate, c2b('RKC0000001', row!.username));
    expect(await validate.json()).toEqual({ ResultCode: '0', ResultDesc: 'Accepted' });
    await hooks.post(w.hookUrls.c2bConfirm, c2b('RKC0000001', row!.username));
    await hooks.post(w.hookUrls.c2bConfirm, c2b('RKC0000001', row!.username));
    await hooks.post(w.hookUrls.c2bConfirm, c2b('RKC0000002', 'NOBODY-99'));
    const jobs = await applyPayments(w.deps, w.actor.tenantId, 2);
    expect(jobs.map((j) => (j.output as { outcome?: string }).outcome)).toEqual(
      expect.arrayContaining(['applied', 'suspense']),
    );
    expect(await paymentsOf(sub)).toEqual([
      expect.objectContaining({ amountMinor: 40_000n, sourceId: 'mpesa:RKC0000001' }),
    ]);

    const waiting = await listSuspense(w.deps, w.actor);
    const held = waiting.find((x) => x.transactionId === 'RKC0000002');
    expect(held).toMatchObject({ amountMinor: 40_000n, accountReference: 'NOBODY-99' });
    const other = await w.newSubscriber();
    const matched = await matchSuspense(w.deps, w.actor, { eventId: held!.eventId, subscriberId: other });
    expect(matched.created).toBe(true);
    expect(await paymentsOf(other)).toEqual([
      expect.objectContaining({ amountMinor: 40_000n, sourceId: 'mpesa:RKC0000002' }),
    ]);
    await expect(
      matchSuspense(w.deps, w.actor, { eventId: held!.eventId, subscriberId: other }),
    ).rejects.toMatchObject({
      code: 'PAYMENT.NOT_IN_SUSPENSE',
    });
    expect((await listSuspense(w.deps, w.actor)).some((x) => x.transactionId === 'RKC0000002')).toBe(false);
    const [audit] = await t.app.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where tenant_id = ${w.actor.tenantId} and action = 'payment.suspense.match'`,
    );
    expect(audit!.n).toBe(1);
  });
});

describe('Stripe through a pay link', () => {
  it('opens a Checkout Session, fulfils on the signed completed event once, and refuses a tampered one', async () => {
    const { sub, inv, token } = await invoiceLink(120_000n);
    const { attemptId, started } = await startFromLink(w.deps, { token, gateway: 'stripe' });
    expect(started.kind).toBe('redirect');
    const session = fakes.stripe.pay(started.providerRef);
    expect(session.client_reference_id).toBe(attemptId);
    const d = fakes.stripe.delivery('checkout.session.completed', session);
    const tampered = Buffer.from(d.rawBody.toString().replace('"amount_total":120000', '"amount_total":1'));
    expect((await hooks.post(w.hookUrls.stripe, tampered, d.headers)).status).toBe(400);
    expect((await hooks.post(w.hookUrls.stripe, d.rawBody, d.headers)).status).toBe(200);
    expect((await hooks.post(w.hookUrls.stripe, d.rawBody, d.headers)).status).toBe(200);
    await applyPayments(w.deps, w.actor.tenantId, 1);
    expect(await paymentsOf(sub)).toEqual([
      expect.objectContaining({ amountMinor: 120_000n, method: 'card' }),
    ]);
    expect((await getInvoice(t.app, w.actor, inv.id)).status).toBe('paid');
    expect((await attempt(attemptId)).status).toBe('succeeded');
  });
});

describe('M-Pesa source addresses', () => {
  it('refuses callbacks from outside the listed ranges, storing nothing', async () => {
    const v = await paymentWorld(t, w.deps);
    await setGateway(w.deps, v.actor, {
      gateway: 'mpesa',
      config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' },
      allowedSources: ['196.201.214.0/24'],
    });
    const body = fakes.daraja.callbackBody('ws_CO_from_elsewhere', 0);
    expect((await hooks.post(v.hookUrls.stk, body)).status).toBe(403);
    const stored = await t.app.db
      .select()
      .from(paymentEvents)
      .where(eq(paymentEvents.tenantId, v.actor.tenantId));
    expect(stored).toHaveLength(0);
    await setGateway(w.deps, v.actor, {
      gateway: 'mpesa',
      config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' },
      allowedSources: ['127.0.0.0/8'],
    });
    expect((await hooks.post(v.hookUrls.stk, body)).status).toBe(200);
  });

  it('refuses a range that is not one', async () => {
    await expect(
      setGateway(w.deps, w.actor, {
        gateway: 'mpesa',
        config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' },
        allowedSources: ['10.0.0.1/8'],
      }),
    ).rejects.toThrow();
  });
});

describe('pay-link:create', () => {
  it('makes a link for a subscriber by username that opens on what they owe', async () => {
    const sub = await w.newSubscriber();
    await w.invoice(sub, 12_300n);
    const [row] = await t.app.db.execute<{ username: string; slug: string }>(
      sql`select s.username, t.slug from subscribers s join tenants t on t.id = s.tenant_id where s.id = ${sub}`,
    );
    const made = (await payLinkCommand.run(t.app, { tenant: row!.slug, subscriber: row!.username })) as {
      url: string;
    };
    expect(payLinkCommand.describe(made)).toContain('/p/');
    const link = await openPayLink(t.app.db, tokenOf(made.url));
    expect(link).toMatchObject({ subscriberId: sub, dueMinor: 12_300n, invoiceId: null });
    await expect(
      payLinkCommand.run(t.app, { tenant: row!.slug, subscriber: 'nobody-here' }),
    ).rejects.toMatchObject({
      code: 'SUBSCRIBER.NOT_FOUND',
    });
  });
});

describe('gateway settings', () => {
  it('tests the connection and never returns a credential', async () => {
    expect(await testGateway(w.deps, w.actor, { gateway: 'mpesa' })).toEqual({
      ok: true,
      message: 'Connected',
    });
    const shown = JSON.stringify(await listGateways(w.deps, w.actor));
    expect(shown).not.toContain('cs_test');
    expect(shown).not.toContain('whsec_');
    expect(shown).not.toContain('sk_test');
  });

  it('refuses a viewer', async () => {
    await expect(listGateways(w.deps, { ...w.actor, role: 'agent' })).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });
});
