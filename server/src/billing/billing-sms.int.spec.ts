// Billing's texts through the SMS outbox, to a local fake of Twilio's Messages API (the
// "invoice issued" text has its own test, billing-invoice-sms.int.spec.ts): the
// reminder on each policy day is sent once however often the run and the reminder job run
// (the job retried, a second run for the same day), with the amount due and a working pay
// link; a paid invoice gets no reminder; a cash payment sends its receipt text once; an account
// without a phone number gets no text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { invoices, payLinks, smsMessages, subscribers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startTwilioFake, type TwilioFake } from '../testing/twilio-fake.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { untilFinished } from '../jobs/job.testing.ts';
import { createPlan } from '../plans/plan.service.ts';
import { smsEnvironment } from '../sms/sms-env.ts';
import { smsSendHandler } from '../sms/sms-send.job.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';
import { hashToken } from '../payments/gateway-factory.ts';
import { DEFAULT_ENDPOINTS } from '../payments/payment-deps.ts';
import { addDays, localDay } from './billing-calendar.ts';
import { invoiceIssuedSmsJob, reminderJob } from './billing-job-kinds.ts';
import { billingHandlers } from './billing-jobs.ts';
import { runBilling } from './billing-run.ts';
import { updateDunningPolicy } from './dunning-policy.service.ts';
import { recordPayment } from './payment.service.ts';

let t: TestApp;
let fake: TwilioFake;

beforeAll(async () => {
  t = await createTestApp();
  fake = await startTwilioFake();
  t.app.payments = { publicUrl: 'https://kasi.example', endpoints: DEFAULT_ENDPOINTS };
  t.app.sms = smsEnvironment({
    publicUrl: 'https://kasi.example',
    sms: {
      twilio: {
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        from: '+15005550006',
        apiUrl: fake.url,
      },
      countryCode: '254',
      hotspotUrl: 'http://hotspot.lan',
    },
  });
});
afterAll(async () => {
  await fake.close();
  await t.close();
});

async function until(ok: () => boolean | Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return ok();
}

describe('billing texts', () => {
  it('sends each reminder once (runs and jobs repeated), none for a paid invoice, and one receipt per payment', async () => {
    const { actor } = await t.newTenant();
    const plan = await createPlan(t.app, actor, {
      name: 'Home 10M',
      downloadBps: 10_000_000,
      uploadBps: 2_000_000,
      priceMinor: 150_000n,
      currency: 'KES',
      audience: 'subscriber',
    });
    // Reminders on the due date and 3 days after; nobody suspended in this test's window.
    await updateDunningPolicy(t.app, actor, { reminderDays: [0, 3], graceDays: 10 });
    const mk = (username: string, phone: string | null) =>
      createSubscriber(t.app, actor, {
        username,
        password: 'secret-1',
        planId: plan.id,
        ...(phone && { phone }),
      });
    const jane = await mk('jane', '+254712345678');
    const paid = await mk('paid', '+254722000111');
    const mute = await mk('mute', null);
    const today = localDay(new Date(), 'UTC');
    const first = addDays(today, -3);
    await t.app.db
      .update(subscribers)
      .set({ createdAt: new Date(`${first}T08:00:00Z`) })
      .where(inArray(subscribers.id, [jane.id, paid.id, mute.id]));

    const handlers = [...billingHandlers(t.app), smsSendHandler(t.app)];
    const workers = await startWorkers(t.app.jobs, handlers, t.app.log);
    const boss = await t.app.jobs.boss();
    try {
      // Due today-3: the run that day issues and reminds (offset 0), run twice.
      expect((await runBilling(t.app, { tenantId: actor.tenantId, day: first })).issued).toBe(3);
      await runBilling(t.app, { tenantId: actor.tenantId, day: first });
      await untilFinished(boss, reminderJob.name, { count: 3, match: { tenantId: actor.tenantId } });
      await untilFinished(boss, invoiceIssuedSmsJob.name, { count: 1, match: { tenantId: actor.tenantId } });
      // The paid account settles before its second reminder; its receipt is texted.
      const [paidInvoice] = await t.app.db
        .select()
        .from(invoices)
        .where(and(eq(invoices.tenantId, actor.tenantId), eq(invoices.subscriberId, paid.id)));
      await recordPayment(t.app, actor, {
        subscriberId: paid.id,
        invoiceId: paidInvoice!.id,
        amountMinor: paidInvoice!.totalMinor,
        currency: 'KES',
        method: 'cash',
      });
      // Three days later (offset 3), run twice.
      await runBilling(t.app, { tenantId: actor.tenantId, day: today });
      await runBilling(t.app, { tenantId: actor.tenantId, day: today });
      await untilFinished(boss, reminderJob.name, { count: 5, match: { tenantId: actor.tenantId } });
      // A retried reminder job (same data) queues nothing new.
      const reminder = handlers.find((h) => h.kind === reminderJob)!;
      const [janeInvoice] = await t.app.db
        .select()
        .from(invoices)
        .where(and(eq(invoices.tenantId, actor.tenantId), eq(invoices.subscriberId, jane.id)));
      await reminder.run({
        id: 'retry',
        attempt: 2,
        signal: new AbortController().signal,
        data: {
          tenantId: actor.tenantId,
          invoiceId: janeInvoice!.id,
          subscriberId: jane.id,
          offset: 3,
          day: today,
        },
      });

      const rows = () => t.app.db.select().from(smsMessages).where(eq(smsMessages.tenantId, actor.tenantId));
      expect(
        await until(async () => (await rows()).every((m) => m.status !== 'queued' && m.status !== 'sending')),
      ).toBe(true);
      const texts = await rows();
      const of = (id: string, event: string) =>
        texts.filter((m) => m.subscriberId === id && m.event === event);
      expect(of(jane.id, 'reminder')).toHaveLength(2);
      expect(of(paid.id, 'reminder')).toHaveLength(1);
      expect(of(paid.id, 'payment_received')).toHaveLength(1);
      expect(texts.filter((m) => m.subscriberId === mute.id)).toHaveLength(0);
      // What reached Twilio: each text once.
      // Jane: the invoice issued, then two reminders.
      expect(of(jane.id, 'invoice_issued')).toHaveLength(1);
      const toJane = fake.messages.filter((m) => m.to === '+254712345678');
      expect(toJane).toHaveLength(3);
      const reminded = toJane.filter((m) => /Pay to stay connected/.test(m.body));
      expect(reminded).toHaveLength(2);
      expect(reminded[0]!.body).toContain('1500.00 KES');
      const link = /https:\/\/kasi\.example\/p\/([\w-]+)/.exec(reminded[0]!.body);
      expect(link).not.toBeNull();
      // The link in the text is a real pay link for that invoice (only its hash is stored).
      const [stored] = await t.app.db
        .select()
        .from(payLinks)
        .where(eq(payLinks.tokenHash, hashToken(link![1]!)));
      expect(stored).toMatchObject({ subscriberId: jane.id, invoiceId: janeInvoice!.id, kind: 'invoice' });
      const toPaid = fake.messages.filter((m) => m.to === '+254722000111');
      expect(toPaid).toHaveLength(3);
      expect(toPaid.some((m) => /receipt/.test(m.body))).toBe(true);
    } finally {
      await workers.stop();
    }
  });
});
