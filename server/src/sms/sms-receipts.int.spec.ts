// Sale receipts end to end inside the server: a synced sale with a buyer's phone enqueues a
// job, the runner sends it through the real Twilio client to a local fake of Twilio's
// Messages API, retries what Twilio asks to retry, gives up on what it refuses, and Twilio's
// signed delivery reports land on the job.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { connect, jobs } from '@kasi/db';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startTwilioFake, type TwilioFake } from '../testing/twilio-fake.ts';
import { newAgentWorld, type AgentWorld } from '../agents/agent.testing.ts';
import { pushOps } from '../sync/sync.service.ts';
import { voidVouchers } from '../vouchers/voucher.service.ts';
import { createHttpServer } from '../http/http-server.ts';
import { JobRunner, type JobRunnerOptions } from '../jobs/job-runner.ts';
import { createJobs } from '../jobs/job-wiring.ts';
import { SALE_RECEIPT_JOB, saleReceiptHandler } from './sale-receipt.job.ts';
import { twilioSender } from './sms-sender.ts';
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

function runner(over: Partial<JobRunnerOptions> = {}) {
  const db = over.db ?? t.app.db;
  const sender = twilioSender({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    apiUrl: fake.url,
    from: FROM,
  });
  return new JobRunner({
    db,
    log: t.app.log,
    handlers: {
      [SALE_RECEIPT_JOB]: saleReceiptHandler({
        db,
        log: t.app.log,
        sender,
        countryCode: '254',
        hotspotUrl: 'http://hotspot.lan',
        statusCallbackUrl: (id) => twilioStatusUrl(PUBLIC_URL, id),
      }),
    },
    backoff: { baseMs: 1, maxMs: 4 },
    maxAttempts: 3,
    ...over,
  });
}

/** Sells leased codes through the real sync push, each with a buyer's phone. */
async function sell(w: AgentWorld, phones: string[]) {
  const codes = await w.lease(w.device, phones.length);
  const ops = await Promise.all(
    codes.map((code, i) => w.device.sale(code, i + 1, { buyerPhone: phones[i] ?? null })),
  );
  await pushOps(t.app, w.agentActor, { deviceId: w.device.id, ops });
  return codes;
}

type Payload = Record<string, unknown> & { message?: { sid: string }; delivery?: Record<string, unknown> };

async function jobsOf(tenantId: string) {
  const rows = await t.app.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.kind, SALE_RECEIPT_JOB)))
    .orderBy(asc(jobs.id));
  return rows.map((j) => ({ ...j, id: j.id.toString(), payload: j.payload as Payload }));
}

/** Runs rounds until nothing is due and nothing waits for a retry, as the poll loop would. */
async function drain(r: JobRunner, tenantId: string, rounds = 20): Promise<number> {
  let ran = 0;
  for (let i = 0; i < rounds; i++) {
    ran += await r.runOnce();
    const open = (await jobsOf(tenantId)).filter((j) => !j.doneAt && !j.failedAt);
    if (!open.length) break;
    await new Promise((res) => setTimeout(res, 10));
  }
  return ran;
}

describe('sale receipts by SMS', () => {
  it('texts the buyer the code, the plan and where to log in, once', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await sell(w, ['0712345678']);
    expect(await runner().runOnce()).toBe(1);
    expect(await runner().runOnce()).toBe(0);

    expect(fake.messages).toHaveLength(1);
    const [job] = await jobsOf(w.operator.tenantId);
    const [message] = fake.messages;
    expect(message).toMatchObject({
      to: '+254712345678',
      from: FROM,
      statusCallback: `${PUBLIC_URL}/hooks/twilio/status?job=${job?.id}`,
    });
    expect(message?.body).toContain(code);
    expect(message?.body).toContain('(Hour)');
    expect(message?.body).toContain('http://hotspot.lan');
    expect(job).toMatchObject({ attempts: 1, lastError: null, failedAt: null });
    expect(job?.doneAt).toBeInstanceOf(Date);
    expect(job?.payload.message?.sid).toBe(message?.sid);
  });

  it('retries after Twilio answers 500 and then 429, and sends once', async () => {
    const w = await newAgentWorld(t);
    await sell(w, ['+254700000001']);
    fake.failNext(500);
    fake.failNext(429);
    const r = runner();
    expect(await r.runOnce()).toBe(1);
    const [waiting] = await jobsOf(w.operator.tenantId);
    expect(waiting).toMatchObject({ attempts: 1, doneAt: null, lastError: 'Twilio error 20500 (HTTP 500)' });
    await drain(r, w.operator.tenantId);
    const [job] = await jobsOf(w.operator.tenantId);
    expect(job).toMatchObject({ attempts: 3, lastError: null, failedAt: null });
    expect(job?.doneAt).toBeInstanceOf(Date);
    expect(fake.messages).toHaveLength(1);
  });

  it('gives up at once on a number Twilio refuses, with no number or code in the error', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await sell(w, ['+15005550001']);
    await runner().runOnce();
    const [job] = await jobsOf(w.operator.tenantId);
    expect(job).toMatchObject({ attempts: 1, doneAt: null, lastError: 'Twilio error 21211 (HTTP 400)' });
    expect(job?.failedAt).toBeInstanceOf(Date);
    expect(job?.lastError).not.toContain('5550001');
    expect(job?.lastError).not.toContain(code);
    expect(await runner().runOnce()).toBe(0);
  });

  it('gives up after the last attempt when Twilio keeps failing', async () => {
    const w = await newAgentWorld(t);
    await sell(w, ['+254700000002']);
    fake.failNext(503, 3);
    expect(await drain(runner(), w.operator.tenantId)).toBe(3);
    const [job] = await jobsOf(w.operator.tenantId);
    expect(job).toMatchObject({ attempts: 3, doneAt: null, lastError: 'Twilio error 20503 (HTTP 503)' });
    expect(job?.failedAt).toBeInstanceOf(Date);
    expect(fake.messages).toHaveLength(0);
  });

  it('keeps only the masked number and code once a receipt is sent, skipped or given up', async () => {
    const w = await newAgentWorld(t);
    const [sentCode = '', refusedCode = '', voidCode = ''] = await sell(w, [
      '0712345678',
      '+15005550001',
      '+254700000009',
    ]);
    const id = (await w.allCodes()).find((c) => c.code === voidCode)?.id ?? '';
    await voidVouchers(t.app, w.operator, [id]);
    fake.failNext(500);
    const r = runner();
    await r.runOnce();
    // A job waiting for its retry still needs the number: it stays until the job is finished.
    const waiting = (await jobsOf(w.operator.tenantId)).filter((j) => !j.doneAt && !j.failedAt);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.payload).toMatchObject({ phone: expect.any(String), code: expect.any(String) });
    await drain(r, w.operator.tenantId);

    const finished = await jobsOf(w.operator.tenantId);
    expect(finished.every((j) => j.doneAt || j.failedAt)).toBe(true);
    for (const job of finished) {
      expect(job.payload).not.toHaveProperty('phone');
      expect(job.payload).not.toHaveProperty('code');
      const text = JSON.stringify(job.payload);
      for (const secret of ['712345678', '5550001', '700000009', sentCode, refusedCode, voidCode])
        expect(text).not.toContain(secret);
    }
    const byNumber = (masked: string) => finished.find((j) => j.payload.phoneMasked === masked);
    expect(byNumber('+2547…78')?.payload).toMatchObject({
      codeMasked: `${sentCode.slice(0, 2)}…`,
      message: { sid: expect.any(String) },
    });
    expect(byNumber('+150…01')).toMatchObject({
      lastError: 'Twilio error 21211 (HTTP 400)',
      payload: { codeMasked: `${refusedCode.slice(0, 2)}…` },
    });
    expect(byNumber('+2547…09')?.payload).toMatchObject({
      codeMasked: `${voidCode.slice(0, 2)}…`,
      skipped: expect.any(String),
    });
  });

  it('does not text a code voided before the receipt went out', async () => {
    const w = await newAgentWorld(t);
    const [code] = await sell(w, ['+254700000003']);
    const id = (await w.allCodes()).find((c) => c.code === code)?.id ?? '';
    await voidVouchers(t.app, w.operator, [id]);
    await runner().runOnce();
    const [job] = await jobsOf(w.operator.tenantId);
    expect(job?.doneAt).toBeInstanceOf(Date);
    expect(job?.payload.skipped).toMatch(/void/);
    expect(fake.messages).toHaveLength(0);
  });

  it('never sends a receipt twice when two runners share the queue', async () => {
    const w = await newAgentWorld(t);
    const phones = Array.from({ length: 12 }, (_, i) => `+2547000001${String(i).padStart(2, '0')}`);
    const codes = await sell(w, phones);
    fake.delayMs = 25;
    const other = connect(t.url, { max: 3 });
    try {
      const [a, b] = await Promise.all([
        drain(runner({ batchSize: 3 }), w.operator.tenantId),
        drain(runner({ batchSize: 3, db: other.db }), w.operator.tenantId),
      ]);
      expect(a + b).toBe(12);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
    expect(fake.messages).toHaveLength(12);
    expect(new Set(fake.messages.map((m) => m.to))).toEqual(new Set(phones));
    for (const code of codes) expect(fake.messages.filter((m) => m.body.includes(code))).toHaveLength(1);
    expect((await jobsOf(w.operator.tenantId)).every((j) => j.doneAt && j.attempts === 1)).toBe(true);
  });

  it('leaves receipts queued and says so once when SMS is not configured', async () => {
    const w = await newAgentWorld(t);
    await sell(w, ['+254700000004']);
    let logged = '';
    const log = pino(
      { level: 'info' },
      new Writable({ write: (chunk: Buffer, _e, done) => ((logged += chunk.toString()), done()) }),
    );
    const { runner: idle, twilioStatus } = createJobs(
      { ...t.app, log },
      {
        publicUrl: PUBLIC_URL,
        jobs: { pollMs: 5, maxAttempts: 3 },
        sms: { twilio: null, countryCode: null, hotspotUrl: 'http://hotspot.lan' },
      },
    );
    expect(twilioStatus).toBeNull();
    idle.start();
    await new Promise((r) => setTimeout(r, 60));
    await idle.stop();
    expect(logged.match(/SMS is not configured/g)).toHaveLength(1);
    const [job] = await jobsOf(w.operator.tenantId);
    expect(job).toMatchObject({ attempts: 0, doneAt: null, failedAt: null });
    await runner().runOnce(); // leave nothing due for the next test
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
    await runner().runOnce();
    const [job] = await jobsOf(w.operator.tenantId);
    return { tenantId: w.operator.tenantId, jobId: job?.id ?? '', sid: job?.payload.message?.sid ?? '' };
  }

  it('records a signed report and keeps the latest state when reports arrive out of order', async () => {
    const r = await sentReceipt();
    const delivered = await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'delivered' });
    expect(delivered.status).toBe(204);
    const late = await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'sent' });
    expect(late.status).toBe(204);
    const [job] = await jobsOf(r.tenantId);
    expect(job?.payload.delivery).toMatchObject({ status: 'delivered' });
    expect(job?.lastError).toBeNull();
  });

  it('notes an undelivered message on the job for the operator', async () => {
    const r = await sentReceipt();
    await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'sent' });
    await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'undelivered', ErrorCode: '30006' });
    const [job] = await jobsOf(r.tenantId);
    expect(job?.payload.delivery).toMatchObject({ status: 'undelivered', errorCode: '30006' });
    expect(job?.lastError).toBe('Twilio delivery undelivered (error 30006)');
  });

  it('refuses a report signed with another token or changed after signing', async () => {
    const r = await sentReceipt();
    const forged = await send(r.jobId, { MessageSid: r.sid, MessageStatus: 'failed' }, 'not-the-token');
    expect(forged.status).toBe(403);
    const post = await report(r.jobId, { MessageSid: r.sid, MessageStatus: 'delivered' });
    const tampered = await post({ MessageSid: r.sid, MessageStatus: 'failed' });
    expect(tampered.status).toBe(403);
    const [job] = await jobsOf(r.tenantId);
    expect(job?.payload.delivery).toBeUndefined();
    expect(job?.lastError).toBeNull();
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
