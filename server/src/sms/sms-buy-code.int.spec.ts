// `BUY <plan>` by SMS, to the end (issue 14): the buyer texts BUY through Twilio's signed
// webhook (the fake at the provider edge), pays the link with M-Pesa (the Daraja fake's
// callback through the real inbox and `payment.apply` job), and gets exactly one SMS with the
// code through the outbox and the send job; a replayed callback or a second settlement sends
// nothing more. An opted-out number gets nothing, a link that kept no number queues nothing,
// and the number is forgotten after the SMS retention period.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { payLinks, paymentAttempts, smsMessages } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startTwilioFake, type TwilioFake } from '../testing/twilio-fake.ts';
import { createHttpServer } from '../http/http-server.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { jobsIn } from '../jobs/job.testing.ts';
import { createPlan } from '../plans/plan.service.ts';
import { hashToken } from '../payments/gateway-factory.ts';
import { settleAttempt } from '../payments/attempt-settle.ts';
import { startFromLink } from '../payments/payment-attempt.service.ts';
import { paymentRoutes } from '../payments/payment-routes.ts';
import { createPlanPayLink, issuedCodeForAttempt } from '../payments/plan-purchase.ts';
import {
  applyPayments,
  paymentDeps,
  paymentWorld,
  startHooksServer,
  startPaymentFakes,
  type PaymentFakes,
  type PaymentWorld,
} from '../payments/payment.testing.ts';
import { boughtCodeDedupeKey } from './bought-code-sms.ts';
import { smsEnvironment } from './sms-env.ts';
import { smsHooksHandler } from './sms-hooks.route.ts';
import { smsSendHandler } from './sms-send.job.ts';
import { getSmsSettings, setSmsSettings } from './sms-settings.service.ts';
import { purgeExpiredSms } from './sms-retention.job.ts';

let t: TestApp;
let tw: TwilioFake;
let fakes: PaymentFakes;
let hooks: Awaited<ReturnType<typeof startHooksServer>>;
let w: PaymentWorld;
let server: Server;
let base = '';
let inboundUrl = '';
let tenantId = '';
let planId = '';

beforeAll(async () => {
  t = await createTestApp();
  tw = await startTwilioFake();
  fakes = await startPaymentFakes();
  t.app.sms = smsEnvironment({
    publicUrl: 'https://kasi.example',
    sms: { twilio: null, countryCode: null, hotspotUrl: 'http://hotspot.lan', twilioApiUrl: tw.url },
  });
  const deps = paymentDeps(t, fakes);
  hooks = await startHooksServer(deps);
  w = await paymentWorld(t, deps);
  tenantId = w.actor.tenantId;
  await setSmsSettings(t.app, w.actor, {
    provider: 'twilio',
    accountSid: tw.accountSid,
    authToken: tw.authToken,
    countryCode: '254',
    senderId: '+15005550006',
    defaultLanguage: 'en',
    bulkApprovalThreshold: null,
  });
  inboundUrl = (await getSmsSettings(t.app, w.actor)).webhookUrls?.twilioInbound ?? '';
  planId = (
    await createPlan(t.app, w.actor, {
      name: 'Day pass',
      downloadBps: 5_000_000,
      uploadBps: 1_000_000,
      priceMinor: 5_000n,
      currency: 'KES',
      audience: 'voucher',
      validitySeconds: 86_400,
    })
  ).id;
  server = createHttpServer(t.app, tmpdir(), {
    smsHooks: smsHooksHandler(t.app),
    payments: paymentRoutes(deps),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await hooks.close();
  await fakes.close();
  await tw.close();
  await t.close();
});

let sid = 0;
async function textIn(from: string, body: string) {
  const all = {
    AccountSid: tw.accountSid,
    ApiVersion: '2010-04-01',
    To: '+15005550006',
    MessageSid: `SM${String(++sid).padStart(32, '0')}`,
    From: from,
    Body: body,
  };
  const signature = twilio.getExpectedTwilioSignature(tw.authToken, inboundUrl, all);
  const r = await fetch(`${base}${new URL(inboundUrl).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(all),
  });
  expect(r.status).toBe(200);
}

const outbox = (to: string) =>
  t.app.db
    .select()
    .from(smsMessages)
    .where(and(eq(smsMessages.tenantId, tenantId), eq(smsMessages.toNumber, to)))
    .orderBy(smsMessages.createdAt);

/** The pay link token in the newest reply to `to`. */
async function linkTokenFromReply(to: string): Promise<string> {
  const reply = (await outbox(to)).filter((m) => m.event === 'inbound_reply').at(-1)?.body ?? '';
  const path = /https?:\/\/\S+\/p\/([\w-]+)/.exec(reply)?.[1];
  expect(path, reply).toBeDefined();
  return path!;
}

/** The M-Pesa callback body that pays `token`'s link; the attempt id. */
async function startMpesa(token: string) {
  fakes.daraja.setNextOutcome(0);
  const { attemptId, started } = await startFromLink(w.deps, {
    token,
    gateway: 'mpesa',
    phone: '0712345678',
  });
  const body = fakes.daraja.callbackBody(started.providerRef, 0, {
    receipt: `RKT${String(++sid).padStart(7, '0')}`,
  });
  return { attemptId, body };
}

async function pay(body: string, applyJobs: number) {
  expect((await hooks.post(w.hookUrls.stk, body)).status).toBe(200);
  await applyPayments(w.deps, tenantId, applyJobs);
}

/** Runs the SMS send job until `done` holds (a loaded CI machine polls slowly: a long wait). */
async function sendUntil(done: () => boolean | Promise<boolean>) {
  const workers = await startWorkers(t.app.jobs, [smsSendHandler(t.app)], t.app.log);
  try {
    await expect.poll(done, { timeout: 60_000, interval: 250 }).toBe(true);
  } finally {
    await workers.stop();
  }
}

describe('BUY <plan> by SMS, once paid', () => {
  it('texts the buyer the code exactly once; a replayed callback or a second settlement sends nothing more', async () => {
    const buyer = '+254711000090';
    await textIn('0711000090', 'BUY day');
    const token = await linkTokenFromReply(buyer);
    const [link] = await t.app.db
      .select()
      .from(payLinks)
      .where(eq(payLinks.tokenHash, hashToken(token)));
    expect(link).toMatchObject({ kind: 'plan', planId, buyerPhone: buyer });

    const { attemptId, body } = await startMpesa(token);
    await pay(body, 1);
    const code = (await issuedCodeForAttempt(t.app.db, tenantId, attemptId))?.code ?? '';
    expect(code).toMatch(/^[A-Z0-9]{6,16}$/);

    const withCode = () => tw.messages.filter((m) => m.to === buyer && m.body.includes(code));
    await sendUntil(
      async () => withCode().length === 1 && (await outbox(buyer)).every((m) => m.status === 'sent'),
    );
    expect(withCode()[0]!.body).toMatch(
      new RegExp(
        `: Wi-Fi voucher ${code} \\(Day pass\\)\\. Join the Wi-Fi, open http://hotspot\\.lan and log in`,
      ),
    );
    const [receipt] = (await outbox(buyer)).filter((m) => m.event === 'sale_receipt');
    expect(receipt).toMatchObject({ dedupeKey: boughtCodeDedupeKey(attemptId), status: 'sent' });

    // The same callback again: the inbox knows the event, no job, no message.
    await hooks.post(w.hookUrls.stk, body);
    // A second settlement of the attempt (the reconciliation query's path): already settled.
    const [row] = await t.app.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId));
    const again = await settleAttempt(
      w.deps,
      { ...row!, status: 'pending' },
      {
        state: 'succeeded',
        resultCode: '0',
        reason: null,
        receipt: row!.receipt,
      },
    );
    expect(again).toBe('duplicate');
    expect(await jobsIn(await t.app.jobs.boss(), 'payment.apply', { tenantId })).toHaveLength(1);
    const rows = await outbox(buyer);
    expect(rows.filter((m) => m.event === 'sale_receipt')).toHaveLength(1);
    // Nothing left to send: the reply and the code, both sent, and only those went out.
    expect(rows.map((m) => [m.event, m.status])).toEqual([
      ['inbound_reply', 'sent'],
      ['sale_receipt', 'sent'],
    ]);
    expect(tw.messages.filter((m) => m.to === buyer)).toHaveLength(2);
    // pg-boss's tables never held the code (jobs name the message and the event only).
    const [leak] = await t.app.db.execute(sql`
      select count(*)::int as n from pgboss.job
       where coalesce(data::text, '') || coalesce(output::text, '') like ${`%${code}%`}`);
    expect(Number(leak?.['n'])).toBe(0);
  }, 120_000);

  it('texts nothing to a number that opted out, and nothing for a link that kept no number', async () => {
    const buyer = '+254711000091';
    await textIn(buyer, 'STOP');
    await textIn(buyer, 'BUY day pass');
    // The reply is kept (skipped: opted out) with the link in it; the buyer pays that link.
    const opted = await startMpesa(await linkTokenFromReply(buyer));
    const plain = await t.app.db.transaction((tx) => createPlanPayLink(t.app, tx, { tenantId, planId }));
    const other = await startMpesa(new URL(plain.url).pathname.slice(3));
    expect((await hooks.post(w.hookUrls.stk, opted.body)).status).toBe(200);
    await pay(other.body, 3);
    expect(await issuedCodeForAttempt(t.app.db, tenantId, opted.attemptId)).not.toBeNull();
    expect(await issuedCodeForAttempt(t.app.db, tenantId, other.attemptId)).not.toBeNull();

    const rows = await outbox(buyer);
    expect(rows.map((m) => [m.event, m.status, m.reason])).toEqual([
      ['inbound_reply', 'skipped', 'opted out'],
      ['sale_receipt', 'skipped', 'opted out'],
    ]);
    const forPlain = await t.app.db
      .select()
      .from(smsMessages)
      .where(
        and(
          eq(smsMessages.tenantId, tenantId),
          eq(smsMessages.dedupeKey, boughtCodeDedupeKey(other.attemptId)),
        ),
      );
    expect(forPlain).toHaveLength(0);
    expect(tw.messages.filter((m) => m.to === buyer)).toHaveLength(0);
  }, 120_000);

  it('forgets the buyer number after the SMS retention period', async () => {
    const later = new Date(Date.now() + 91 * 86_400_000);
    await purgeExpiredSms(t.app, later);
    const kept = await t.app.db
      .select({ id: payLinks.id })
      .from(payLinks)
      .where(and(eq(payLinks.tenantId, tenantId), sql`${payLinks.buyerPhone} is not null`));
    expect(kept).toHaveLength(0);
  });
});
