// The SMS outbox end to end inside the server: a synced sale with a buyer's phone puts a
// receipt in the outbox, the send job sends it through the real Twilio client to a local fake
// of Twilio's Messages API (the process-wide KASI_TWILIO_* default), retries what Twilio asks
// to retry, records what it refuses, never texts an opted-out number, sends once however many
// jobs and processes run, and Twilio's signed delivery reports land on the message's row.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { smsHookRefusals, smsMessages, smsOptOuts } from '@kasi/db';
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
import type { AppContext } from '../app-context.ts';
import { saleReceiptHandler } from './sale-receipt.job.ts';
import { smsEnvironment } from './sms-env.ts';
import { smsHooksHandler } from './sms-hooks.route.ts';
import { queueSms, releaseWaiting } from './sms-outbox.ts';
import { optOut } from './sms-opt-out.ts';
import { smsSendHandler } from './sms-send.job.ts';

const PUBLIC_URL = 'https://kasi.example';
const FROM = '+15005550006';

let t: TestApp;
let fake: TwilioFake;
let app: AppContext;

beforeAll(async () => {
  t = await createTestApp();
  fake = await startTwilioFake();
  app = t.app;
  app.sms = smsEnvironment({
    publicUrl: PUBLIC_URL,
    sms: {
      twilio: { accountSid: fake.accountSid, authToken: fake.authToken, from: FROM, apiUrl: fake.url },
      countryCode: '254',
      hotspotUrl: 'http://hotspot.lan',
    },
  });
});

afterAll(async () => {
  await fake.close();
  await t.close();
});

beforeEach(() => {
  fake.messages.length = 0;
  fake.delayMs = 0;
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

const messagesOf = (tenantId: string) =>
  t.app.db
    .select()
    .from(smsMessages)
    .where(eq(smsMessages.tenantId, tenantId))
    .orderBy(smsMessages.createdAt);

const busy = (rows: { status: string; reason: string | null }[]) =>
  rows.some((m) => m.status === 'sending' || (m.status === 'queued' && m.reason !== 'SMS not configured'));

/** Runs the receipt and send workers until the tenant's outbox has nothing in flight. */
async function runOutbox(
  tenantId: string,
  expected: number,
  queue: JobQueue = t.app.jobs,
  a: AppContext = app,
) {
  const w = await startWorkers(queue, [saleReceiptHandler(a), { ...smsSendHandler(a), batchSize: 3 }], a.log);
  try {
    await expect
      .poll(
        async () => {
          const rows = await messagesOf(tenantId);
          return rows.length >= expected && !busy(rows);
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(true);
  } finally {
    await w.stop();
  }
  return messagesOf(tenantId);
}

describe('the SMS outbox', () => {
  it('texts a buyer the receipt once, through the outbox, with the delivery callback', async () => {
    const w = await newAgentWorld(t);
    const [code = ''] = await sell(w, ['0712345678']);
    const [msg] = await runOutbox(w.operator.tenantId, 1);
    // Another round finds nothing to send.
    await runOutbox(w.operator.tenantId, 1);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({
      to: '+254712345678',
      from: FROM,
      statusCallback: `${PUBLIC_URL}/hooks/sms/twilio/status?t=${w.operator.tenantId}&m=${msg?.id}`,
    });
    expect(fake.messages[0]?.body).toContain(code);
    expect(fake.messages[0]?.body).toContain('(Hour)');
    expect(msg).toMatchObject({
      event: 'sale_receipt',
      status: 'sent',
      provider: 'default',
      providerMessageId: fake.messages[0]?.sid,
      attempts: 1,
      encoding: 'GSM-7',
      segments: 1,
    });
  });

  it('queues with the reason when SMS is not configured, and sends once it is', async () => {
    const tenant = await t.newTenant();
    const bare: AppContext = { ...app, sms: { ...app.sms!, defaultTwilio: null } };
    const queued = await t.app.db.transaction((tx) =>
      queueSms(bare, tx, { tenantId: tenant.actor.tenantId, to: '+254711000001', event: 'test', vars: {} }),
    );
    expect(queued).toMatchObject({ status: 'queued', reason: 'SMS not configured' });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages).toHaveLength(0);
    // The default account appears (a restart with KASI_TWILIO_*): releasing sends what waited.
    const released = await t.app.db.transaction((tx) => releaseWaiting(app, tx, tenant.actor.tenantId));
    expect(released).toBe(1);
    const [msg] = await runOutbox(tenant.actor.tenantId, 1);
    expect(msg).toMatchObject({ status: 'sent', reason: null });
    expect(fake.messages.map((m) => m.to)).toEqual(['+254711000001']);
  });

  it('skips a number that cannot be normalised and says so, without keeping it', async () => {
    const tenant = await t.newTenant();
    const bare: AppContext = { ...app, sms: { ...app.sms!, countryCode: null } };
    const r = await t.app.db.transaction((tx) =>
      queueSms(bare, tx, { tenantId: tenant.actor.tenantId, to: '0712 345 678', event: 'test', vars: {} }),
    );
    expect(r.status).toBe('skipped');
    expect(r.reason).toMatch(/number cannot be normalised/);
    const [row] = await messagesOf(tenant.actor.tenantId);
    expect(row?.toNumber).toBe('07…78');
  });

  it('gives an opted-out number nothing: neither at queueing nor when it opts out while queued', async () => {
    const tenant = await t.newTenant();
    const tenantId = tenant.actor.tenantId;
    await optOut(t.app.db, { tenantId, phone: '+254711000002', source: 'operator', note: null });
    const first = await t.app.db.transaction((tx) =>
      queueSms(app, tx, { tenantId, to: '0711000002', event: 'test', vars: {} }),
    );
    expect(first).toMatchObject({ status: 'skipped', reason: 'opted out' });
    const second = await t.app.db.transaction((tx) =>
      queueSms(app, tx, { tenantId, to: '+254711000003', event: 'test', vars: {} }),
    );
    expect(second.status).toBe('queued');
    await optOut(t.app.db, { tenantId, phone: '+254711000003', source: 'keyword', note: 'STOP' });
    const rows = await runOutbox(tenantId, 2);
    expect(rows.map((r) => [r.status, r.reason])).toEqual([
      ['skipped', 'opted out'],
      ['skipped', 'opted out'],
    ]);
    expect(fake.messages).toHaveLength(0);
  });

  it('retries after Twilio answers 500 and then 429, and sends once', async () => {
    const w = await newAgentWorld(t);
    await sell(w, ['+254700000001']);
    fake.failNext(500);
    fake.failNext(429);
    const [msg] = await runOutbox(w.operator.tenantId, 1);
    expect(msg).toMatchObject({ status: 'sent', attempts: 3 });
    expect(fake.messages).toHaveLength(1);
  });

  it('records what Twilio refuses, and gives up after the last attempt', async () => {
    const w = await newAgentWorld(t);
    await sell(w, ['+15005550001']);
    const [refused] = await runOutbox(w.operator.tenantId, 1);
    expect(refused).toMatchObject({ status: 'failed', reason: 'Twilio error 21211 (HTTP 400)', attempts: 1 });

    const w2 = await newAgentWorld(t);
    await sell(w2, ['+254700000002']);
    fake.failNext(503, TEST_JOB_SETTINGS.maxAttempts);
    const [gaveUp] = await runOutbox(w2.operator.tenantId, 1);
    expect(gaveUp).toMatchObject({
      status: 'failed',
      attempts: TEST_JOB_SETTINGS.maxAttempts,
      reason: `gave up after ${TEST_JOB_SETTINGS.maxAttempts} attempts: Twilio error 20503 (HTTP 503)`,
    });
    expect(fake.messages).toHaveLength(0);
  });

  it('puts a number Twilio says opted out (21610) on the opt-out list', async () => {
    const tenant = await t.newTenant();
    const tenantId = tenant.actor.tenantId;
    await t.app.db.transaction((tx) =>
      queueSms(app, tx, { tenantId, to: '+15005550004', event: 'test', vars: {} }),
    );
    const [msg] = await runOutbox(tenantId, 1);
    expect(msg?.status).toBe('failed');
    const optOuts = await t.app.db.select().from(smsOptOuts).where(eq(smsOptOuts.tenantId, tenantId));
    expect(optOuts).toMatchObject([{ phone: '+15005550004', source: 'provider' }]);
  });

  it('never puts the number, the code or the text in pg-boss’s tables', async () => {
    const w = await newAgentWorld(t);
    const codes = await sell(w, ['0712345671', '+15005550001']);
    fake.failNext(500);
    await runOutbox(w.operator.tenantId, 2);
    const secrets = ['712345671', '5550001', ...codes, 'Wi-Fi voucher'];
    const [row] = await t.app.db.execute(sql`
      select count(*)::int as n from pgboss.job
      where ${sql.join(
        secrets.map((x) => sql`(coalesce(data::text, '') || coalesce(output::text, '')) like ${`%${x}%`}`),
        sql` or `,
      )}`);
    expect(Number(row?.['n'])).toBe(0);
  });

  it('does not text a code voided before the receipt was queued', async () => {
    const w = await newAgentWorld(t);
    const [code] = await sell(w, ['+254700000003']);
    const id = (await w.allCodes()).find((c) => c.code === code)?.id ?? '';
    await voidVouchers(t.app, w.operator, [id]);
    const workers = await startWorkers(t.app.jobs, [saleReceiptHandler(app), smsSendHandler(app)], app.log);
    await new Promise((r) => setTimeout(r, 1500));
    await workers.stop();
    expect(await messagesOf(w.operator.tenantId)).toHaveLength(0);
    expect(fake.messages).toHaveLength(0);
  });

  it('sends each message once when two server processes run the send jobs, and when a job runs twice', async () => {
    const tenant = await t.newTenant();
    const tenantId = tenant.actor.tenantId;
    const phones = Array.from({ length: 12 }, (_, i) => `+2547000001${String(i).padStart(2, '0')}`);
    const ids = await t.app.db.transaction(async (tx) => {
      const out: string[] = [];
      for (const to of phones)
        out.push((await queueSms(app, tx, { tenantId, to, event: 'test', vars: {} })).id);
      return out;
    });
    // A second send job for each message, as a release after a restart would add.
    await t.app.db.transaction((tx) =>
      t.app.jobs.enqueueMany(
        tx,
        smsSendHandler(app).kind as never,
        ids.map((messageId) => ({ data: { tenantId, messageId } })),
      ),
    );
    fake.delayMs = 25;
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
        startWorkers(t.app.jobs, [{ ...smsSendHandler(app), batchSize: 3 }], t.app.log),
        startWorkers(other, [{ ...smsSendHandler(app), batchSize: 3 }], t.app.log),
      ]);
      await expect
        .poll(async () => (await messagesOf(tenantId)).every((m) => m.status === 'sent'), { timeout: 15_000 })
        .toBe(true);
      // Let the duplicate jobs run out too.
      await new Promise((r) => setTimeout(r, 1500));
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await other.stop();
    }
    expect(fake.messages).toHaveLength(12);
    expect(new Set(fake.messages.map((m) => m.to))).toEqual(new Set(phones));
    const rows = await messagesOf(tenantId);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  });
});

describe('Twilio delivery reports', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createHttpServer(t.app, tmpdir(), { smsHooks: smsHooksHandler(app) });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  function post(
    messageId: string,
    params: Record<string, string>,
    opts: { signWith?: string; signed?: Record<string, string>; tenantId?: string } = {},
  ) {
    const path = `/hooks/sms/twilio/status?t=${opts.tenantId ?? current.tenantId}&m=${messageId}`;
    const all = { AccountSid: fake.accountSid, ApiVersion: '2010-04-01', ...params };
    const signature = twilio.getExpectedTwilioSignature(
      opts.signWith ?? fake.authToken,
      `${PUBLIC_URL}${path}`,
      {
        AccountSid: fake.accountSid,
        ApiVersion: '2010-04-01',
        ...(opts.signed ?? params),
      },
    );
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(all),
    });
  }

  const current = { tenantId: '' };
  async function sentMessage() {
    const tenant = await t.newTenant();
    const tenantId = tenant.actor.tenantId;
    current.tenantId = tenantId;
    await t.app.db.transaction((tx) =>
      queueSms(app, tx, { tenantId, to: '+254700000005', event: 'test', vars: {} }),
    );
    const [msg] = await runOutbox(tenantId, 1);
    return { tenantId, id: msg?.id ?? '', sid: msg?.providerMessageId ?? '' };
  }
  const rowOf = async (id: string) =>
    (await t.app.db.select().from(smsMessages).where(eq(smsMessages.id, id)))[0];

  it('records a signed report and keeps the latest state when reports arrive out of order', async () => {
    const m = await sentMessage();
    expect((await post(m.id, { MessageSid: m.sid, MessageStatus: 'delivered' })).status).toBe(204);
    expect((await post(m.id, { MessageSid: m.sid, MessageStatus: 'sent' })).status).toBe(204);
    expect(await rowOf(m.id)).toMatchObject({
      status: 'delivered',
      deliveryStatus: 'delivered',
      reason: null,
    });
  });

  it('marks an undelivered message failed with Twilio’s reason', async () => {
    const m = await sentMessage();
    await post(m.id, { MessageSid: m.sid, MessageStatus: 'sent' });
    await post(m.id, { MessageSid: m.sid, MessageStatus: 'undelivered', ErrorCode: '30006' });
    expect(await rowOf(m.id)).toMatchObject({
      status: 'failed',
      deliveryStatus: 'undelivered',
      reason: 'Twilio delivery undelivered (error 30006)',
    });
  });

  it('refuses (403) and counts a report signed with another token, changed after signing, or for no message', async () => {
    const m = await sentMessage();
    const forged = await post(
      m.id,
      { MessageSid: m.sid, MessageStatus: 'failed' },
      { signWith: 'not-the-token' },
    );
    expect(forged.status).toBe(403);
    const tampered = await post(
      m.id,
      { MessageSid: m.sid, MessageStatus: 'failed' },
      { signed: { MessageSid: m.sid, MessageStatus: 'delivered' } },
    );
    expect(tampered.status).toBe(403);
    const unknown = await post('00000000-0000-4000-8000-000000000000', {
      MessageSid: m.sid,
      MessageStatus: 'failed',
    });
    expect(unknown.status).toBe(403);
    expect(await rowOf(m.id)).toMatchObject({ status: 'sent' });
    const [counted] = await t.app.db
      .select()
      .from(smsHookRefusals)
      .where(and(eq(smsHookRefusals.tenantId, m.tenantId), eq(smsHookRefusals.reason, 'bad signature')));
    expect(counted?.count).toBe(2);
  });
});
