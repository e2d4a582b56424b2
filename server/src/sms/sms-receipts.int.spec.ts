// Sale receipts end to end inside the server: a synced sale with a buyer's phone enqueues a
// pg-boss job, a worker sends it through the real Twilio client to a local fake of Twilio's
// Messages API, retries what Twilio asks to retry, gives up on what it refuses, and Twilio's
// signed delivery reports land on the finished job's output.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { TEST_JOB_SETTINGS } from '../testing/test-app-factory.ts';
import { startTwilioFake, type TwilioFake } from '../testing/twilio-fake.ts';
import { newAgentWorld, type AgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from '../sync/sync.service.ts';
import { voidVouchers } from '../vouchers/voucher.service.ts';
import { createHttpServer } from '../http/http-server.ts';
import { JobQueue } from '../jobs/job-queue.ts';
import { JOB_KINDS } from '../jobs/job-kinds.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { createJobs } from '../jobs/job-wiring.ts';
import { tenantJobs, untilFinished, type StoredJob } from '../jobs/job.testing.ts';
import { SALE_RECEIPT_JOB, saleReceiptHandler } from './sale-receipt.job.ts';
import { twilioSender, type SmsSender } from './sms-sender.ts';
import { twilioStatusHandler, twilioStatusUrl } from './twilio-status.route.ts';

const PUBLIC_URL = 'https://kasi.example';
const FROM = '+15005550006';
let t: TestApp;
let fake: TwilioFake;

beforeAll(async () => {
  t = await createTestApp();
  fake = await startTwilioFake();
});
afterAll(async () => {
  await fake.close();
  await t.close();
});
beforeEach(() => {
  fake.messages.length = 0;
  fake.delayMs = 0;
});

const sender = () =>
  twilioSender({ accountSid: fake.accountSid, authToken: fake.authToken, apiUrl: fake.url, from: FROM });

const receiptHandler = (send: SmsSender = sender()) => ({
  ...saleReceiptHandler({
    db: t.app.db,
    log: t.app.log,
    sender: send,
    countryCode: '254',
    hotspotUrl: 'http://hotspot.lan',
    statusCallbackUrl: (id) => twilioStatusUrl(PUBLIC_URL, id),
  }),
  batchSize: 3,
});

/** Sells leased codes through the real sync push, each with a buyer's phone. */
async function sell(w: AgentWorld, phones: string[]) {
  const codes = await w.lease(w.device, phones.length);
  const ops = await Promise.all(
    codes.map((code, i) => w.device.sale(code, i + 1, { buyerPhone: phones[i] ?? null })),
  );
  await pushOps(t.app, w.agentActor, { deviceId: w.device.id, ops });
  return codes;
}

type Output = { message?: { sid: string }; delivery?: Record<string, unknown> } & Record<string, unknown>;
const receiptsOf = async (tenantId: string) =>
  (await tenantJobs(t.app, SALE_RECEIPT_JOB, tenantId)) as (StoredJob & { output: Output | null })[];

/** Runs a receipt worker on the server's queue until the tenant's receipts are all finished. */
async function sendReceipts(tenantId: string, count = 1) {
  const w = await startWorkers(t.app.jobs, [receiptHandler()], t.app.log);
  try {
    await untilFinished(await t.app.jobs.boss(), SALE_RECEIPT_JOB, { match: { tenantId }, count });
  } finally {
    await w.stop();
  }
  return receiptsOf(tenantId);
}

describe('sale receipts by SMS', () => {
  it('texts the buyer the code, the plan and where to log in, once', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await sell(w, ['0712345678']);
    const [job] = await sendReceipts(w.operator.tenantId);
    // Another round finds nothing to send.
    await sendReceipts(w.operator.tenantId);

    expect(fake.messages).toHaveLength(1);
    const [message] = fake.messages;
    expect(message).toMatchObject({
      to: '+254712345678',
      from: FROM,
      statusCallback: `${PUBLIC_URL}/hooks/twilio/status?job=${job?.id}`,
    });
    expect(message?.body).toContain(code);
    expect(message?.body).toContain('(Hour)');
    expect(message?.body).toContain('http://hotspot.lan');
    expect(job).toMatchObject({ state: 'completed', retryCount: 0 });
    expect(job?.output?.message?.sid).toBe(message?.sid);
  });

  it('retries after Twilio answers 500 and then 429, and sends once', async () => {
    const w = await newAgentWorld(t);
    await sell(w, ['+254700000001']);
    fake.failNext(500);
    fake.failNext(429);
    const [job] = await sendReceipts(w.operator.tenantId);
    expect(job).toMatchObject({ state: 'completed', retryCount: 2 });
    expect(job?.output).not.toHaveProperty('error');
    expect(fake.messages).toHaveLength(1);
  });

  it('gives up at once on a number Twilio refuses, with no number or code in the error', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await sell(w, ['+15005550001']);
    const [job] = await sendReceipts(w.operator.tenantId);
    expect(job).toMatchObject({
      state: 'failed',
      retryCount: 0,
      output: { error: 'Twilio error 21211 (HTTP 400)' },
    });
    expect(JSON.stringify(job)).not.toContain('5550001');
    expect(JSON.stringify(job)).not.toContain(code);
  });

  it('gives up after the last attempt when Twilio keeps failing', async () => {
    const w = await newAgentWorld(t);
    await sell(w, ['+254700000002']);
    fake.failNext(503, TEST_JOB_SETTINGS.maxAttempts);
    const [job] = await sendReceipts(w.operator.tenantId);
    expect(job).toMatchObject({
      state: 'failed',
      retryCount: TEST_JOB_SETTINGS.maxAttempts - 1,
      output: { error: 'Twilio error 20503 (HTTP 503)' },
    });
    expect(fake.messages).toHaveLength(0);
  });

  it('never puts the number or the code in pg-boss’s tables; a finished receipt keeps their masked forms', async () => {
    const w = await newAgentWorld(t);
    const [sentCode = '', refusedCode = '', voidCode = ''] = await sell(w, [
      '0712345678',
      '+15005550001',
      '+254700000009',
    ]);
    const id = (await w.allCodes()).find((c) => c.code === voidCode)?.id ?? '';
    await voidVouchers(t.app, w.operator, [id]);
    const secrets = ['712345678', '5550001', '700000009', sentCode, refusedCode, voidCode];
    const leaks = async () => {
      const [row] = await t.app.db.execute(sql`
        select count(*)::int as n from pgboss.job
        where ${sql.join(
          secrets.map((x) => sql`(coalesce(data::text, '') || coalesce(output::text, '')) like ${`%${x}%`}`),
          sql` or `,
        )}`);
      return Number(row?.['n']);
    };
    expect(await leaks()).toBe(0); // queued
    fake.failNext(500);
    const finished = await sendReceipts(w.operator.tenantId, 3);
    expect(await leaks()).toBe(0); // retried and finished

    const byNumber = (masked: string) => finished.find((j) => j.output?.['phoneMasked'] === masked);
    expect(byNumber('+2547…78')).toMatchObject({
      state: 'completed',
      output: { codeMasked: `${sentCode.slice(0, 2)}…`, message: { sid: expect.any(String) } },
    });
    expect(byNumber('+150…01')).toMatchObject({
      state: 'failed',
      output: { error: 'Twilio error 21211 (HTTP 400)', codeMasked: `${refusedCode.slice(0, 2)}…` },
    });
    expect(byNumber('+2547…09')).toMatchObject({
      state: 'completed',
      output: { codeMasked: `${voidCode.slice(0, 2)}…`, skipped: expect.any(String) },
    });
  });

  it('does not text a code voided before the receipt went out', async () => {
    const w = await newAgentWorld(t);
    const [code] = await sell(w, ['+254700000003']);
    const id = (await w.allCodes()).find((c) => c.code === code)?.id ?? '';
    await voidVouchers(t.app, w.operator, [id]);
    const [job] = await sendReceipts(w.operator.tenantId);
    expect(job?.state).toBe('completed');
    expect(job?.output?.['skipped']).toMatch(/void/);
    expect(fake.messages).toHaveLength(0);
  });

  it('never sends a receipt twice when two server processes work the queue', async () => {
    const w = await newAgentWorld(t);
    const phones = Array.from({ length: 12 }, (_, i) => `+2547000001${String(i).padStart(2, '0')}`);
    const codes = await sell(w, phones);
    fake.delayMs = 25;
    const sentBy = { a: 0, b: 0 };
    const counting = (who: 'a' | 'b'): SmsSender => {
      const inner = sender();
      return { send: (m) => ((sentBy[who] += 1), inner.send(m)) };
    };
    // A second process: its own pg-boss instance and pool on the same database.
    const other = new JobQueue({
      connectionString: t.url,
      log: t.app.log,
      kinds: JOB_KINDS,
      settings: TEST_JOB_SETTINGS,
      pollingIntervalSeconds: 0.5,
    });
    try {
      const [a, b] = await Promise.all([
        startWorkers(t.app.jobs, [receiptHandler(counting('a'))], t.app.log),
        startWorkers(other, [receiptHandler(counting('b'))], t.app.log),
      ]);
      await untilFinished(await t.app.jobs.boss(), SALE_RECEIPT_JOB, {
        match: { tenantId: w.operator.tenantId },
        count: 12,
      });
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await other.stop();
    }
    expect(sentBy.a + sentBy.b).toBe(12);
    expect(sentBy.a).toBeGreaterThan(0);
    expect(sentBy.b).toBeGreaterThan(0);
    expect(fake.messages).toHaveLength(12);
    expect(new Set(fake.messages.map((m) => m.to))).toEqual(new Set(phones));
    for (const code of codes) expect(fake.messages.filter((m) => m.body.includes(code))).toHaveLength(1);
    const jobs = await receiptsOf(w.operator.tenantId);
    expect(jobs.every((j) => j.state === 'completed' && j.retryCount === 0)).toBe(true);
  });

  it('leaves receipts queued and says so once when SMS is not configured', async () => {
    const w = await newAgentWorld(t);
    await sell(w, ['+254700000004']);
    let logged = '';
    const log = pino(
      { level: 'info' },
      new Writable({ write: (chunk: Buffer, _e, done) => ((logged += chunk.toString()), done()) }),
    );
    const jobs = createJobs(
      { ...t.app, log },
      {
        publicUrl: PUBLIC_URL,
        jobs: { pollMs: 500, maxAttempts: 3 },
        jobRetentionDays: 30,
        sms: { twilio: null, countryCode: null, hotspotUrl: 'http://hotspot.lan' },
      },
    );
    expect(jobs.twilioStatus).toBeNull();
    expect(jobs.handlers.map((h) => h.kind.name)).not.toContain(SALE_RECEIPT_JOB);
    const idle = await jobs.start();
    await new Promise((r) => setTimeout(r, 700));
    await idle.stop();
    expect(logged.match(/SMS is not configured/g)).toHaveLength(1);
    expect(await receiptsOf(w.operator.tenantId)).toMatchObject([{ state: 'created', retryCount: 0 }]);
    await sendReceipts(w.operator.tenantId); // leave nothing queued for the next test
  });
});

describe('Twilio delivery reports', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const hook = twilioStatusHandler(t.app, { authToken: fake.authToken, publicUrl: PUBLIC_URL });
    server = createHttpServer(t.app, tmpdir(), { twilioStatus: hook });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  async function report(jobId: string, params: Record<string, string>, signWith = fake.authToken) {
    const path = `/hooks/twilio/status?job=${jobId}`;
    const signed = { AccountSid: fake.accountSid, ApiVersion: '2010-04-01', ...params };
    const signature = twilio.getExpectedTwilioSignature(signWith, `${PUBLIC_URL}${path}`, signed);
    return (body: Record<string, string>) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams({ AccountSid: fake.accountSid, ApiVersion: '2010-04-01', ...body }),
      });
  }
  const send = async (jobId: string, params: Record<string, string>, signWith?: string) =>
    (await report(jobId, params, signWith))(params);

  async function sentReceipt() {
    const w = await newAgentWorld(t);
    await sell(w, ['+254700000005']);
    const [job] = await sendReceipts(w.operator.tenantId);
    return { tenantId: w.operator.tenantId, jobId: job?.id ?? '', sid: job?.output?.message?.sid ?? '' };
  }

  it('records a signed report and keeps the latest state when reports arrive out of order', async () => {
    const r = await sentReceipt();
    const delivered = await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'delivered' });
    expect(delivered.status).toBe(204);
    const late = await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'sent' });
    expect(late.status).toBe(204);
    const [job] = await receiptsOf(r.tenantId);
    expect(job?.output?.delivery).toMatchObject({ status: 'delivered' });
    expect(job?.output).not.toHaveProperty('error');
  });

  it('notes an undelivered message on the job for the operator', async () => {
    const r = await sentReceipt();
    await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'sent' });
    await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'undelivered', ErrorCode: '30006' });
    const [job] = await receiptsOf(r.tenantId);
    expect(job?.output?.delivery).toMatchObject({ status: 'undelivered', errorCode: '30006' });
    expect(job?.output?.['error']).toBe('Twilio delivery undelivered (error 30006)');
  });

  it('refuses a report signed with another token or changed after signing', async () => {
    const r = await sentReceipt();
    const forged = await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'failed' }, 'not-the-token');
    expect(forged.status).toBe(403);
    const post = await report(r.jobId, { MessageSid: r.sid, MessageStatus: 'delivered' });
    const tampered = await post({ MessageSid: r.sid, MessageStatus: 'failed' });
    expect(tampered.status).toBe(403);
    const [job] = await receiptsOf(r.tenantId);
    expect(job?.output?.delivery).toBeUndefined();
    expect(job?.output).not.toHaveProperty('error');
  });

  it('answers 404 where SMS is not configured', async () => {
    const bare = createHttpServer(t.app, tmpdir());
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(
        `http://127.0.0.1:${(bare.address() as AddressInfo).port}/hooks/twilio/status?job=1`,
        { method: 'POST', body: 'MessageStatus=delivered' },
      );
      expect(res.status).toBe(404);
    } finally {
      await new Promise((r) => bare.close(r));
    }
  });
});
