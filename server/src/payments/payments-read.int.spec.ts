// The console's payments screens on a real PostgreSQL: the filtered list (method, refund status,
// tenant days, subscriber, amount, keyset pages) scoped to the tenant, one payment with its
// provider ids, attempts, inbox events and ledger effect, the suspense search, and the pay link
// sent by SMS (no phone, SMS not set up, the shown link reused, a foreign link refused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, smsMessages, subscribers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { recordPayment } from '../billing/payment.service.ts';
import { updateSubscriber } from '../subscribers/subscriber.service.ts';
import { createPayLink } from './pay-link.service.ts';
import { sendPayLink } from './pay-link-send.ts';
import { startFromLink } from './payment-attempt.service.ts';
import { listPaymentsFiltered, matchCandidates, paymentDetail } from './payments-read.ts';
import { listSuspense, matchSuspense } from './suspense.service.ts';
import { dashboardSummary } from '../dashboard/dashboard.service.ts';
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
let fakes: PaymentFakes;
let hooks: Awaited<ReturnType<typeof startHooksServer>>;
let w: PaymentWorld;
let other: PaymentWorld;

// The world: A pays 150.00 by M-Pesa (pay link on an invoice), then 100.00 cash; B pays 250.00
// by bank transfer; another tenant pays 100.00 cash.
let subA: string;
let subB: string;
let usernameA: string;
let invoiceA: { id: string; number: bigint | null };
let cashA: string;
let mpesaA: string;
let bankB: string;
let otherCash: string;
let attemptId: string;
let checkoutId: string;

beforeAll(async () => {
  t = await createTestApp();
  fakes = await startPaymentFakes();
  const deps = paymentDeps(t, fakes);
  hooks = await startHooksServer(deps);
  w = await paymentWorld(t, deps);
  other = await paymentWorld(t, deps);

  subA = await w.newSubscriber();
  subB = await w.newSubscriber();
  usernameA = (await t.app.db.select().from(subscribers).where(eq(subscribers.id, subA)))[0]!.username;
  const cash = (subscriberId: string, amountMinor: bigint, method: 'cash' | 'bank_transfer', who = w) =>
    recordPayment(t.app, who.actor, { subscriberId, amountMinor, currency: 'KES', method }).then(
      (r) => r.payment.id,
    );
  invoiceA = await w.invoice(subA, 15_000n);
  const link = await createPayLink(w.deps, w.actor, { subscriberId: subA, invoiceId: invoiceA.id });
  fakes.daraja.setNextOutcome(0);
  const started = await startFromLink(w.deps, {
    token: link.url.split('/p/')[1]!,
    gateway: 'mpesa',
    phone: '0712345678',
  });
  attemptId = started.attemptId;
  checkoutId = started.started.providerRef;
  const res = await hooks.post(
    w.hookUrls.stk,
    fakes.daraja.callbackBody(checkoutId, 0, { receipt: 'RKT7PAGE01' }),
  );
  expect(res.status).toBe(200);
  await applyPayments(w.deps, w.actor.tenantId);
  const listed = await listPaymentsFiltered(t.app, w.actor, { method: 'mpesa' });
  mpesaA = listed.rows[0]!.id;
  cashA = await cash(subA, 10_000n, 'cash');
  bankB = await cash(subB, 25_000n, 'bank_transfer');
  otherCash = await cash(await other.newSubscriber(), 10_000n, 'cash', other);
});

afterAll(async () => {
  await hooks.close();
  await fakes.close();
  await t.close();
});

const ids = (r: { rows: { id: string }[] }) => r.rows.map((x) => x.id).sort();

describe('payments list', () => {
  it('lists only the tenant’s payments, newest first, and pages by keyset', async () => {
    const all = await listPaymentsFiltered(t.app, w.actor, {});
    expect(ids(all)).toEqual([cashA, mpesaA, bankB].sort());
    expect(all.rows.map((r) => r.id)).not.toContain(otherCash);
    expect(all.rows[0]!.id).toBe(bankB);
    expect(all.rows.at(-1)!.id).toBe(mpesaA);
    expect(all.currency).toBe('KES');

    const seen: string[] = [];
    let before: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await listPaymentsFiltered(t.app, w.actor, { limit: 1, before });
      seen.push(...page.rows.map((r) => r.id));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    expect(seen).toEqual(all.rows.map((r) => r.id));

    const theirs = await listPaymentsFiltered(t.app, other.actor, {});
    expect(ids(theirs)).toEqual([otherCash]);
  });

  it('filters by method, subscriber, amount and the tenant’s days', async () => {
    expect(ids(await listPaymentsFiltered(t.app, w.actor, { method: 'cash' }))).toEqual([cashA]);
    const mp = await listPaymentsFiltered(t.app, w.actor, { method: 'mpesa' });
    expect(mp.rows[0]).toMatchObject({ gateway: 'mpesa', providerId: 'RKT7PAGE01', amountMinor: 15_000n });
    expect(ids(await listPaymentsFiltered(t.app, w.actor, { subscriberId: subB }))).toEqual([bankB]);
    expect(ids(await listPaymentsFiltered(t.app, w.actor, { subscriber: usernameA.toUpperCase() }))).toEqual(
      [cashA, mpesaA].sort(),
    );
    expect(
      ids(await listPaymentsFiltered(t.app, w.actor, { minAmount: '120', maxAmount: '250.00' })),
    ).toEqual([mpesaA, bankB].sort());
    await expect(listPaymentsFiltered(t.app, w.actor, { minAmount: 'ten' })).rejects.toMatchObject({
      code: 'PAYMENT.BAD_AMOUNT_FILTER',
    });
    await expect(
      listPaymentsFiltered(t.app, w.actor, { minAmount: '300', maxAmount: '100' }),
    ).rejects.toMatchObject({ code: 'PAYMENT.BAD_AMOUNT_FILTER' });

    const { today } = await listPaymentsFiltered(t.app, w.actor, {});
    expect(ids(await listPaymentsFiltered(t.app, w.actor, { fromDay: today, toDay: today }))).toHaveLength(3);
    expect(ids(await listPaymentsFiltered(t.app, w.actor, { toDay: '2020-01-01' }))).toEqual([]);
    expect(ids(await listPaymentsFiltered(t.app, w.actor, { fromDay: '2999-01-01' }))).toEqual([]);
    await expect(
      listPaymentsFiltered(t.app, w.actor, { fromDay: today, toDay: '2020-01-01' }),
    ).rejects.toMatchObject({ code: 'REPORT.BACKWARDS' });
  });
});

describe('one payment', () => {
  it('shows the provider ids, the attempt, the inbox event and the ledger effect', async () => {
    const d = await paymentDetail(t.app, w.actor, mpesaA);
    expect(d).toMatchObject({
      method: 'mpesa',
      gateway: 'mpesa',
      amountMinor: 15_000n,
      provider: { receipt: 'RKT7PAGE01', checkoutRef: checkoutId, c2b: false },
      subscriber: { id: subA, username: usernameA },
      allocatedMinor: 15_000n,
      creditMinor: 0n,
      refundableMinor: 15_000n,
    });
    expect(d.attempts).toMatchObject([
      { id: attemptId, status: 'succeeded', paid: true, receipt: 'RKT7PAGE01' },
    ]);
    expect(d.events.length).toBeGreaterThanOrEqual(1);
    expect(d.events.find((e) => e.attemptId === attemptId)).toMatchObject({ outcome: 'applied' });
    expect(d.allocations).toMatchObject([{ invoiceId: invoiceA.id, amountMinor: 15_000n, releasedAt: null }]);

    const cash = await paymentDetail(t.app, w.actor, cashA);
    expect(cash).toMatchObject({ gateway: null, attempts: [], events: [], creditMinor: 10_000n });
    await expect(paymentDetail(t.app, other.actor, mpesaA)).rejects.toMatchObject({
      code: 'PAYMENT.NOT_FOUND',
    });
  });

  it('says refunded after a full M-Pesa reversal, in the list and on the page', async () => {
    const r = await requestRefund(w.deps, w.actor, {
      paymentId: mpesaA,
      amountMinor: 15_000n,
      reason: 'Paid twice',
      reference: 'RKT7REVERS1',
    });
    expect(r.status).toBe('succeeded');
    expect(ids(await listPaymentsFiltered(t.app, w.actor, { status: 'refunded' }))).toEqual([mpesaA]);
    expect(ids(await listPaymentsFiltered(t.app, w.actor, { status: 'received' }))).toEqual(
      [cashA, bankB].sort(),
    );
    const d = await paymentDetail(t.app, w.actor, mpesaA);
    expect(d).toMatchObject({ refundedMinor: 15_000n, refundableMinor: 0n, allocatedMinor: 0n });
    expect(d.refunds).toMatchObject([{ status: 'succeeded', reference: 'RKT7REVERS1' }]);
  });
});

describe('suspense', () => {
  it('counts a Paybill payment to an unknown account on the dashboard until it is matched', async () => {
    const c2b = JSON.stringify({
      TransactionType: 'Pay Bill',
      TransID: 'RKC7PAGE02',
      TransAmount: '320.00',
      BillRefNumber: 'NOBODY-7',
      MSISDN: '2547****678',
    });
    expect((await hooks.post(w.hookUrls.c2bConfirm, c2b)).status).toBe(200);
    await applyPayments(w.deps, w.actor.tenantId);
    expect((await dashboardSummary(t.app, w.actor)).billing.suspenseCount).toBe(1);
    expect((await dashboardSummary(t.app, other.actor)).billing.suspenseCount).toBe(0);
    const [held] = await listSuspense(w.deps, w.actor);
    expect(held).toMatchObject({ transactionId: 'RKC7PAGE02', amountMinor: 32_000n });
    const matched = await matchSuspense(w.deps, w.actor, { eventId: held!.eventId, subscriberId: subB });
    expect((await dashboardSummary(t.app, w.actor)).billing.suspenseCount).toBe(0);
    const d = await paymentDetail(t.app, w.actor, matched.paymentId);
    expect(d).toMatchObject({ gateway: 'mpesa', provider: { receipt: 'RKC7PAGE02', c2b: true } });
    expect(d.events).toMatchObject([{ providerRef: 'RKC7PAGE02', outcome: 'applied' }]);
    const [audit] = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, w.actor.tenantId), eq(auditLog.action, 'payment.suspense.match')));
    expect(audit).toMatchObject({
      entityId: held!.eventId,
      after: { subscriberId: subB, paymentId: matched.paymentId },
    });
  });

  it('finds subscribers by user name and open invoices by number, in this tenant only', async () => {
    const found = await matchCandidates(t.app, w.actor, { q: usernameA });
    expect(found.subscribers.map((s) => s.id)).toEqual([subA]);
    // A subscriber without credit, so the invoice stays open.
    const inv = await w.invoice(await w.newSubscriber(), 5_000n);
    const byNumber = await matchCandidates(t.app, w.actor, { q: String(inv.number).padStart(6, '0') });
    expect(byNumber.invoices.map((i) => i.id)).toContain(inv.id);
    expect((await matchCandidates(t.app, other.actor, { q: usernameA })).subscribers).toEqual([]);
  });
});

describe('pay link by SMS', () => {
  it('refuses without a phone number or SMS set up, reuses the shown link, and refuses a foreign one', async () => {
    const subC = await w.newSubscriber();
    const inv = await w.invoice(subC, 7_500n);
    await expect(
      sendPayLink(w.deps, w.actor, { subscriberId: subC, invoiceId: inv.id }),
    ).rejects.toMatchObject({ code: 'PAYLINK.NO_PHONE' });
    await updateSubscriber(t.app, w.actor, { id: subC, phone: '+254712000111' });
    await expect(
      sendPayLink(w.deps, w.actor, { subscriberId: subC, invoiceId: inv.id }),
    ).rejects.toMatchObject({ code: 'PAYLINK.SMS_NOT_READY' });

    const saved = t.app.sms;
    t.app.sms = {
      publicUrl: 'http://kasi.test',
      defaultTwilio: {
        accountSid: 'AC0',
        authToken: 'x',
        from: '+15005550006',
        apiUrl: 'http://127.0.0.1:9',
      },
      countryCode: '254',
      hotspotUrl: 'http://hotspot.lan',
      endpoints: { twilio: 'http://127.0.0.1:9', africastalking: { live: '', sandbox: '' } },
    };
    try {
      const shown = await createPayLink(w.deps, w.actor, { subscriberId: subC, invoiceId: inv.id });
      const sent = await sendPayLink(w.deps, w.actor, {
        subscriberId: subC,
        invoiceId: inv.id,
        link: shown.url,
      });
      expect(sent.url).toBe(shown.url);
      expect(sent.sms.status).toBe('queued');
      const [msg] = await t.app.db.select().from(smsMessages).where(eq(smsMessages.id, sent.sms.id));
      expect(msg).toMatchObject({ event: 'invoice_issued', subscriberId: subC, toNumber: '+254712000111' });
      expect(msg!.body).toContain(shown.url);
      expect(msg!.body).toContain('75.00 KES');
      const audits = await t.app.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, w.actor.tenantId), eq(auditLog.action, 'payment.link.sms')));
      expect(audits).toHaveLength(1);

      // A link of another account (A's) is not sent for C.
      const theirs = await createPayLink(w.deps, w.actor, { subscriberId: subA, invoiceId: null });
      await expect(
        sendPayLink(w.deps, w.actor, { subscriberId: subC, invoiceId: null, link: theirs.url }),
      ).rejects.toMatchObject({ code: 'PAYLINK.NOT_FOUND' });

      // No link given: a new one for the balance, with the reminder's wording.
      const fresh = await sendPayLink(w.deps, w.actor, { subscriberId: subC, invoiceId: null });
      expect(fresh.url).toMatch(/^http:\/\/kasi\.test\/p\//);
      const [m2] = await t.app.db.select().from(smsMessages).where(eq(smsMessages.id, fresh.sms.id));
      expect(m2).toMatchObject({ event: 'reminder' });
      expect(m2!.body).toContain(fresh.url);
    } finally {
      t.app.sms = saved;
    }
  });
});
