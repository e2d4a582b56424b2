// The "invoice issued" text (issue 14 item 2): the billing run (through a job per invoice it
// enqueued in its chunk's transaction) and a hand-finalised invoice (in the finalising
// transaction) each queue one text per invoice through the SMS outbox, with the amount, the due
// date and a pay link that opens on that invoice; a second run, or the job run again, queues nothing and makes
// no second link; no phone number → no text (the job says why); an opted-out number → a
// skipped row saying so. SMS is not configured here, so the texts wait as queued.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { invoices, payLinks, smsMessages, subscribers } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { untilFinished } from '../jobs/job.testing.ts';
import { createPlan } from '../plans/plan.service.ts';
import { optOut } from '../sms/sms-opt-out.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';
import { openPayLink } from '../payments/pay-link.service.ts';
import { DEFAULT_ENDPOINTS } from '../payments/payment-deps.ts';
import { localDay } from './billing-calendar.ts';
import { invoiceIssuedSmsJob } from './billing-job-kinds.ts';
import { billingHandlers } from './billing-jobs.ts';
import { runBilling } from './billing-run.ts';
import { updateDunningPolicy } from './dunning-policy.service.ts';
import { createInvoiceDraft, finaliseInvoice } from './invoice.service.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  t.app.payments = { publicUrl: 'https://kasi.example', endpoints: DEFAULT_ENDPOINTS };
});
afterAll(async () => {
  await t.close();
});

const tokenOf = (body: string) => {
  const m = /https:\/\/kasi\.example\/p\/([\w-]+)/.exec(body);
  if (!m) throw new Error(`no pay link in: ${body}`);
  return m[1]!;
};

describe('invoice issued text', () => {
  it('texts each issued invoice once with a working pay link; none without a phone; skipped when opted out', async () => {
    const { actor } = await t.newTenant();
    const tenantId = actor.tenantId;
    const plan = await createPlan(t.app, actor, {
      name: 'Home 10M',
      downloadBps: 10_000_000,
      uploadBps: 2_000_000,
      priceMinor: 150_000n,
      currency: 'KES',
      audience: 'subscriber',
    });
    // No reminder falls in this test's days: every pay link made here is an invoice text's.
    await updateDunningPolicy(t.app, actor, { reminderDays: [10], graceDays: 20 });
    const mk = (username: string, phone: string | null) =>
      createSubscriber(t.app, actor, {
        username,
        password: 'secret-1',
        planId: plan.id,
        ...(phone && { phone }),
      });
    const ann = await mk('ann', '+254711000001');
    const ben = await mk('ben', '+254711000002');
    const cal = await mk('cal', null);
    const dee = await mk('dee', '+254711000004');
    await optOut(t.app.db, { tenantId, phone: '+254711000004', source: 'operator', note: null });
    const today = localDay(new Date(), 'UTC');
    await t.app.db
      .update(subscribers)
      .set({ createdAt: new Date(`${today}T00:00:00Z`) })
      .where(eq(subscribers.tenantId, tenantId));

    const handlers = billingHandlers(t.app);
    const workers = await startWorkers(t.app.jobs, handlers, t.app.log);
    const boss = await t.app.jobs.boss();
    const texts = () =>
      t.app.db
        .select()
        .from(smsMessages)
        .where(and(eq(smsMessages.tenantId, tenantId), eq(smsMessages.event, 'invoice_issued')));
    const links = async () =>
      (await t.app.db.select().from(payLinks).where(eq(payLinks.tenantId, tenantId))).length;
    const invoiceOf = async (subscriberId: string) => {
      const [inv] = await t.app.db
        .select()
        .from(invoices)
        .where(and(eq(invoices.tenantId, tenantId), eq(invoices.subscriberId, subscriberId)));
      return inv!;
    };
    try {
      expect((await runBilling(t.app, { tenantId, day: today })).issued).toBe(4);
      // One job for the run's chunk of four invoices, not one per invoice.
      const jobs = await untilFinished<{ invoiceIds: string[] }>(boss, invoiceIssuedSmsJob.name, {
        match: { tenantId },
      });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.state).toBe('completed');
      expect(jobs[0]!.data.invoiceIds).toHaveLength(4);
      const calInvoice = await invoiceOf(cal.id);
      const outputs = (jobs[0]!.output as { texts: { invoiceId: string; sms?: unknown }[] }).texts;
      expect(outputs.find((o) => o.invoiceId === calInvoice.id)).toMatchObject({
        sms: 'skipped: no phone number',
      });

      const first = await texts();
      const to = (id: string) => first.filter((m) => m.subscriberId === id);
      expect(to(cal.id)).toHaveLength(0);
      expect(to(dee.id)).toMatchObject([{ status: 'skipped', reason: 'opted out' }]);
      for (const sub of [ann, ben]) {
        const inv = await invoiceOf(sub.id);
        expect(to(sub.id)).toHaveLength(1);
        const text = to(sub.id)[0]!;
        // Queued: SMS is not configured for this tenant yet, so it waits, saying why.
        expect(text.status).toBe('queued');
        expect(text.body).toContain(inv.displayNumber!);
        expect(text.body).toContain('1500.00 KES');
        expect(text.body).toContain(localDay(inv.dueAt!, 'UTC'));
        // The link in the text opens on that invoice with what is owed on it.
        const link = await openPayLink(t.app.db, tokenOf(text.body));
        expect(link).toMatchObject({ subscriberId: sub.id, invoiceId: inv.id, dueMinor: 150_000n });
      }
      // One link per text queued (the opted-out number's included: its row shows what was meant).
      const linksAfterRun = await links();
      expect(linksAfterRun).toBe(3);

      // The same day again: nothing issued, nothing texted.
      expect((await runBilling(t.app, { tenantId, day: today })).issued).toBe(0);
      // The job run again for an invoice already texted (a retry): no second text, no second link.
      const annInvoice = await invoiceOf(ann.id);
      const job = handlers.find((h) => h.kind === invoiceIssuedSmsJob)!;
      const again = await job.run({
        id: 'retry',
        attempt: 2,
        signal: new AbortController().signal,
        data: { tenantId, invoiceIds: [annInvoice.id] },
      });
      expect(again).toMatchObject({ texts: [{ intent: 'text', sms: { id: to(ann.id)[0]!.id } }] });
      expect(await texts()).toHaveLength(first.length);
      expect(await links()).toBe(linksAfterRun);

      // By hand: an invoice finalised in the console is texted too.
      const draft = await createInvoiceDraft(t.app, actor, {
        subscriberId: ben.id,
        lines: [{ kind: 'installation', description: 'Installation', unitPriceMinor: 300_000n }],
      });
      const issued = await finaliseInvoice(t.app, actor, draft.id);
      // Queued in the finalising transaction itself: there on return, no job involved.
      const byHand = (await texts()).filter((m) => m.body.includes(issued.displayNumber!));
      expect(byHand).toHaveLength(1);
      expect(byHand[0]!.body).toContain('3000.00 KES');
      const link = await openPayLink(t.app.db, tokenOf(byHand[0]!.body));
      expect(link).toMatchObject({ invoiceId: issued.id, dueMinor: 300_000n });
    } finally {
      await workers.stop();
    }
  });
});
