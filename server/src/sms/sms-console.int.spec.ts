// SMS as an operator sets it up: a tenant's own Africa's Talking or Twilio account (sealed,
// never returned), the test message, templates refused with unknown variables, Africa's
// Talking's delivery reports on the tenant's secret path, inbound keywords through both
// providers' webhooks (Twilio signed), opt-out words never taken as commands, and bulk sends
// that wait for a second person above the threshold. Fakes at the provider edge only, on real
// sockets; everything else is the server's own code on a real PostgreSQL.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { smsHookRefusals, smsInbound, smsMessages, smsOptOuts, smsSettings, subscribers } from '@kasi/db';
import { ZodError } from 'zod';
import { isDomainError, type DomainError } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startTwilioFake, type TwilioFake } from '../testing/twilio-fake.ts';
import { startAfricasTalkingFake, type AfricasTalkingFake } from '../testing/africastalking-fake.ts';
import { createHttpServer } from '../http/http-server.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';
import { addMember } from '../tenants/tenant.service.ts';
import { dashboardSummary } from '../dashboard/dashboard.service.ts';
import { smsEnvironment } from './sms-env.ts';
import { refusalsWithoutTenant, smsHooksHandler } from './sms-hooks.route.ts';
import { queueSms } from './sms-outbox.ts';
import { smsSendHandler } from './sms-send.job.ts';
import { getSmsSettings, sendTestSms, setSmsEnabled, setSmsSettings } from './sms-settings.service.ts';
import { listTemplates, saveTemplate } from './sms-templates.service.ts';
import { createBulk, decideBulk, listOutbox, previewBulk, setOptOut } from './sms-console.service.ts';

const PUBLIC_URL = 'https://kasi.example';

let t: TestApp;
let tw: TwilioFake;
let at: AfricasTalkingFake;
let app: AppContext;
let server: Server;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  [tw, at] = await Promise.all([startTwilioFake(), startAfricasTalkingFake()]);
  app = t.app;
  // No process-wide account: every tenant brings its own.
  app.sms = smsEnvironment({
    publicUrl: PUBLIC_URL,
    sms: {
      twilio: null,
      countryCode: null,
      hotspotUrl: 'http://hotspot.lan',
      twilioApiUrl: tw.url,
      africasTalkingApiUrl: at.url,
    },
  });
  server = createHttpServer(t.app, tmpdir(), { smsHooks: smsHooksHandler(app) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await Promise.all([tw.close(), at.close()]);
  await t.close();
});

const common = {
  countryCode: '254',
  senderId: null,
  defaultLanguage: 'en' as const,
  bulkApprovalThreshold: null,
};
const atSettings = () => ({
  provider: 'africastalking' as const,
  environment: 'sandbox' as const,
  username: at.username,
  apiKey: at.apiKey,
  ...common,
});
const twilioSettings = () => ({
  provider: 'twilio' as const,
  accountSid: tw.accountSid,
  authToken: tw.authToken,
  ...common,
  senderId: '+15005550006',
});

const messagesOf = (tenantId: string) =>
  t.app.db
    .select()
    .from(smsMessages)
    .where(eq(smsMessages.tenantId, tenantId))
    .orderBy(smsMessages.createdAt);

async function runOutbox(tenantId: string, expected: number) {
  const w = await startWorkers(t.app.jobs, [smsSendHandler(app)], app.log);
  try {
    await expect
      .poll(
        async () => {
          const rows = await messagesOf(tenantId);
          return (
            rows.length >= expected && rows.every((m) => m.status !== 'queued' && m.status !== 'sending')
          );
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(true);
  } finally {
    await w.stop();
  }
  return messagesOf(tenantId);
}

async function fieldIssue(p: Promise<unknown>): Promise<{ path: string; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (e instanceof ZodError) {
    const issue = e.issues[0];
    return { path: issue?.path.join('.') ?? '', message: issue?.message ?? '' };
  }
  expect(isDomainError(e)).toBe(true);
  const d = e as DomainError;
  return { path: String(d.details?.['field'] ?? ''), message: d.message };
}

async function hookToken(tenantId: string) {
  const urls = (await getSmsSettings(app, { ...(await ownerOf(tenantId)) })).webhookUrls;
  return urls;
}
const owners = new Map<string, Actor>();
const ownerOf = async (tenantId: string) => owners.get(tenantId)!;

async function tenantWith(settings: Parameters<typeof setSmsSettings>[2] | null) {
  const { actor } = await t.newTenant();
  owners.set(actor.tenantId, actor);
  if (settings) await setSmsSettings(app, actor, settings);
  return actor;
}

describe('SMS settings', () => {
  it("keeps Africa's Talking credentials sealed, never returns them, and releases what waited", async () => {
    const actor = await tenantWith(null);
    await t.app.db.transaction((tx) =>
      queueSms(app, tx, { tenantId: actor.tenantId, to: '+254711000010', event: 'test', vars: {} }),
    );
    expect(await getSmsSettings(app, actor)).toMatchObject({
      configured: false,
      waitReason: 'SMS not configured',
      waiting: 1,
    });
    // The dashboard's banner says so too.
    expect((await dashboardSummary(app, actor)).sms).toEqual({
      configured: false,
      waitReason: 'SMS not configured',
      waiting: 1,
    });
    const saved = await setSmsSettings(app, actor, atSettings());
    expect(saved).toEqual({ provider: 'africastalking', released: 1 });
    const [msg] = await runOutbox(actor.tenantId, 1);
    expect(msg).toMatchObject({
      status: 'sent',
      provider: 'africastalking',
      costMicros: 800_000n,
      costCurrency: 'KES',
    });
    expect(at.messages.at(-1)).toMatchObject({ to: '+254711000010', username: 'sandbox' });

    const shown = await getSmsSettings(app, actor);
    expect(shown).toMatchObject({
      provider: 'africastalking',
      configured: true,
      hasCredentials: true,
      environment: 'sandbox',
    });
    expect(JSON.stringify(shown)).not.toContain(at.apiKey);
    const [row] = await t.app.db.select().from(smsSettings).where(eq(smsSettings.tenantId, actor.tenantId));
    expect(row?.sealedConfig).not.toContain(at.apiKey);
    expect(row?.sealedConfig).not.toContain('sandbox');

    // Saving again without the key keeps the stored one.
    await setSmsSettings(app, actor, { ...atSettings(), apiKey: undefined, senderId: 'ACME' });
    const test = await sendTestSms(app, actor, { to: '0711000011' });
    expect(test).toMatchObject({ status: 'sent', reason: null });
    expect(at.messages.at(-1)).toMatchObject({ to: '+254711000011', from: 'ACME' });
  });

  it('says which field is wrong: a provider without its credentials, a number that cannot be normalised', async () => {
    const actor = await tenantWith(null);
    expect(
      await fieldIssue(setSmsSettings(app, actor, { ...twilioSettings(), authToken: undefined })),
    ).toMatchObject({
      path: 'authToken',
    });
    expect(await fieldIssue(setSmsSettings(app, actor, { ...common, provider: 'default' }))).toMatchObject({
      path: 'provider',
    });
    await setSmsSettings(app, actor, { ...twilioSettings(), countryCode: null });
    expect(await fieldIssue(sendTestSms(app, actor, { to: '0712 345' }))).toMatchObject({
      path: 'to',
      message: expect.stringMatching(/international/),
    });
    expect(await sendTestSms(app, actor, { to: '+254 712 345 600' })).toMatchObject({ status: 'sent' });
    expect(tw.messages.at(-1)).toMatchObject({ to: '+254712345600', from: '+15005550006' });
  });

  it('turned off: messages are skipped with the reason until it is back on', async () => {
    const actor = await tenantWith(atSettings());
    await setSmsEnabled(app, actor, { enabled: false });
    const r = await t.app.db.transaction((tx) =>
      queueSms(app, tx, { tenantId: actor.tenantId, to: '+254711000012', event: 'test', vars: {} }),
    );
    expect(r).toMatchObject({ status: 'skipped', reason: 'SMS turned off by the operator' });
    await setSmsEnabled(app, actor, { enabled: true });
    const r2 = await t.app.db.transaction((tx) =>
      queueSms(app, tx, { tenantId: actor.tenantId, to: '+254711000012', event: 'test', vars: {} }),
    );
    expect(r2.status).toBe('queued');
  });
});

describe('templates', () => {
  it('refuses unknown variables when saving and uses the saved wording and language', async () => {
    const actor = await tenantWith({ ...atSettings(), defaultLanguage: 'sw' });
    const refused = await fieldIssue(
      saveTemplate(app, actor, {
        event: 'reminder',
        language: 'en',
        body: '{tenant}: pay {amount} by {due} {pay_link}',
      }),
    );
    expect(refused).toMatchObject({ path: 'body', message: expect.stringContaining('{due}') });
    await saveTemplate(app, actor, {
      event: 'reminder',
      language: 'en',
      body: 'Hi {name}, {amount} due. {pay_link}',
    });
    const list = await listTemplates(app, actor);
    const reminder = list.find((e) => e.event === 'reminder');
    expect(reminder?.languages.find((l) => l.language === 'en')).toMatchObject({ custom: true });
    expect(reminder?.languages.find((l) => l.language === 'sw')).toMatchObject({ custom: false });

    const vars = {
      name: 'Amina',
      amount: 'KES 2,500.00',
      due_date: '14 Dec',
      pay_link: 'https://kasi.example/p/x',
    };
    await t.app.db.transaction(async (tx) => {
      await queueSms(app, tx, {
        tenantId: actor.tenantId,
        to: '+254711000020',
        event: 'reminder',
        vars,
        language: 'en',
      });
      await queueSms(app, tx, { tenantId: actor.tenantId, to: '+254711000021', event: 'reminder', vars });
    });
    const [en, sw] = await messagesOf(actor.tenantId);
    expect(en?.body).toBe('Hi Amina, KES 2,500.00 due. https://kasi.example/p/x');
    expect(sw).toMatchObject({ language: 'sw' });
    expect(sw?.body).toContain('inadaiwa 14 Dec');
  });
});

describe("Africa's Talking delivery reports and refusals", () => {
  const form = (body: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });

  it('records reports on the secret path; a wrong path is refused and counted', async () => {
    const actor = await tenantWith(atSettings());
    await t.app.db.transaction(async (tx) => {
      await queueSms(app, tx, { tenantId: actor.tenantId, to: '+254711000030', event: 'test', vars: {} });
      await queueSms(app, tx, { tenantId: actor.tenantId, to: '+254711000031', event: 'test', vars: {} });
    });
    const [a, b] = await runOutbox(actor.tenantId, 2);
    const urls = await hookToken(actor.tenantId);
    const delivery = urls?.africasTalkingDelivery ?? '';
    const path = new URL(delivery).pathname;
    const ok = await fetch(
      `${base}${path}`,
      form({ id: a?.providerMessageId ?? '', status: 'Success', phoneNumber: '+254711000030' }),
    );
    expect(ok.status).toBe(200);
    await fetch(
      `${base}${path}`,
      form({
        id: b?.providerMessageId ?? '',
        status: 'Failed',
        failureReason: 'AbsentSubscriber',
        phoneNumber: '+254711000031',
      }),
    );
    const byId = new Map((await messagesOf(actor.tenantId)).map((m) => [m.id, m]));
    const [da, db] = [byId.get(a?.id ?? ''), byId.get(b?.id ?? '')];
    expect(da).toMatchObject({ status: 'delivered', deliveryStatus: 'Success' });
    expect(db).toMatchObject({
      status: 'failed',
      reason: "Africa's Talking delivery Failed: AbsentSubscriber",
    });

    // A path that names no tenant has no rows it may count in: this process counts it.
    const before = refusalsWithoutTenant();
    const wrong = await fetch(
      `${base}/hooks/sms/not-a-token/at/delivery`,
      form({ id: 'x', status: 'Success' }),
    );
    expect(wrong.status).toBe(403);
    expect(refusalsWithoutTenant() - before).toBe(1);
  });

  it('a blacklisted recipient (406) is failed and opted out; an invalid number (403) is failed', async () => {
    const actor = await tenantWith(atSettings());
    await t.app.db.transaction(async (tx) => {
      await queueSms(app, tx, { tenantId: actor.tenantId, to: '+254700000406', event: 'test', vars: {} });
      await queueSms(app, tx, { tenantId: actor.tenantId, to: '+254700000403', event: 'test', vars: {} });
    });
    const rows = (await runOutbox(actor.tenantId, 2)).sort((x, y) => y.toNumber.localeCompare(x.toNumber));
    expect(rows.map((r) => [r.toNumber, r.status, r.reason])).toEqual([
      ['+254700000406', 'failed', "Africa's Talking UserInBlacklist (406): number opted out"],
      ['+254700000403', 'failed', "Africa's Talking InvalidPhoneNumber (403)"],
    ]);
    const opted = await t.app.db.select().from(smsOptOuts).where(eq(smsOptOuts.tenantId, actor.tenantId));
    expect(opted.map((o) => o.phone)).toEqual(['+254700000406']);
  });
});

describe('inbound SMS', () => {
  async function subscriberWith(
    actor: Actor,
    phone: string,
    username = `sub-${Math.random().toString(36).slice(2, 8)}`,
  ) {
    const plan = await createPlan(app, actor, {
      name: `Home ${username}`,
      downloadBps: 10_000_000,
      uploadBps: 2_000_000,
      priceMinor: 150_000n,
      currency: 'KES',
      audience: 'subscriber',
      dataQuotaBytes: 50n * 1024n ** 3n,
    });
    const s = await createSubscriber(app, actor, { username, password: 'secret-1', planId: plan.id });
    await t.app.db
      .update(subscribers)
      .set({ phone, tags: ['tower-3'] })
      .where(eq(subscribers.id, s.id));
    return { ...s, planId: plan.id };
  }

  function twilioInbound(url: string, params: Record<string, string>, token = tw.authToken) {
    const all = { AccountSid: tw.accountSid, ApiVersion: '2010-04-01', To: '+15005550006', ...params };
    const signature = twilio.getExpectedTwilioSignature(token, url, all);
    return fetch(`${base}${new URL(url).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(all),
    });
  }
  const repliesTo = async (tenantId: string, phone: string) =>
    (await messagesOf(tenantId)).filter((m) => m.toNumber === phone && m.event === 'inbound_reply');

  it('answers BAL, BUY and anything else through Twilio (signed), and never replies to STOP', async () => {
    const actor = await tenantWith(twilioSettings());
    await subscriberWith(actor, '+254711000040');
    const url = (await hookToken(actor.tenantId))?.twilioInbound ?? '';
    const sid = () => `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`;

    const bal = await twilioInbound(url, { MessageSid: sid(), From: '+254711000040', Body: 'bal' });
    expect(bal.status).toBe(200);
    expect(await bal.text()).toContain('<Response>');
    const buy = await twilioInbound(url, { MessageSid: sid(), From: '+254711000040', Body: 'BUY Day pass' });
    expect(buy.status).toBe(200);
    const other = await twilioInbound(url, { MessageSid: sid(), From: '+254711000040', Body: 'hello?' });
    expect(other.status).toBe(200);
    const replies = await repliesTo(actor.tenantId, '+254711000040');
    expect(replies.map((r) => r.body)).toEqual([
      expect.stringMatching(/Balance 0\.00 KES\. Data left: 50\.0 GiB of 50\.0 GiB\./),
      expect.stringContaining('Buying plans by SMS is not enabled'),
      expect.stringContaining('Send BAL for your balance'),
    ]);

    // A replayed webhook (same MessageSid) is handled once.
    const replay = sid();
    await twilioInbound(url, { MessageSid: replay, From: '+254711000040', Body: 'HELP' });
    await twilioInbound(url, { MessageSid: replay, From: '+254711000040', Body: 'HELP' });
    expect(await repliesTo(actor.tenantId, '+254711000040')).toHaveLength(4);

    // Opt-out words are not commands: the number is opted out and nothing is replied, even to BAL.
    await twilioInbound(url, { MessageSid: sid(), From: '+254711000040', Body: 'Stop' });
    await twilioInbound(url, { MessageSid: sid(), From: '+254711000040', Body: 'BAL' });
    const after = await repliesTo(actor.tenantId, '+254711000040');
    expect(after).toHaveLength(5);
    expect(after.at(-1)).toMatchObject({ status: 'skipped', reason: 'opted out' });
    const [inboundStop] = await t.app.db
      .select()
      .from(smsInbound)
      .where(and(eq(smsInbound.tenantId, actor.tenantId), eq(smsInbound.keyword, 'STOP')));
    expect(inboundStop?.replyId).toBeNull();

    // Unsigned or signed with another token: 403, counted, nothing recorded.
    const forged = await twilioInbound(
      url,
      { MessageSid: sid(), From: '+254711000040', Body: 'BAL' },
      'wrong-token',
    );
    expect(forged.status).toBe(403);
    const unsigned = await fetch(`${base}${new URL(url).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'MessageSid=SMx&From=%2B254711000040&Body=BAL',
    });
    expect(unsigned.status).toBe(403);
    const [counted] = await t.app.db
      .select()
      .from(smsHookRefusals)
      .where(and(eq(smsHookRefusals.tenantId, actor.tenantId), eq(smsHookRefusals.reason, 'bad signature')));
    expect(counted?.count).toBe(2);
  });

  it("answers PAY through Africa's Talking and tells an unknown number so", async () => {
    const actor = await tenantWith(atSettings());
    await subscriberWith(actor, '+254711000050');
    const url = (await hookToken(actor.tenantId))?.africasTalkingInbound ?? '';
    const post = (body: Record<string, string>) =>
      fetch(`${base}${new URL(url).pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ to: '22384', date: new Date().toISOString(), linkId: 'x', ...body }),
      });
    expect((await post({ id: 'at-1', from: '+254711000050', text: 'PAY' })).status).toBe(200);
    expect((await post({ id: 'at-2', from: '+254711000059', text: 'BAL' })).status).toBe(200);
    const [pay] = await repliesTo(actor.tenantId, '+254711000050');
    expect(pay?.body).toContain('Nothing to pay now.');
    const [unknown] = await repliesTo(actor.tenantId, '+254711000059');
    expect(unknown?.body).toContain('This number is not linked to an account.');
  });
});

describe('bulk SMS and opt-outs', () => {
  it('waits for a second person above the threshold, and the operator toggle stops one number', async () => {
    const actor = await tenantWith({ ...atSettings(), bulkApprovalThreshold: 1 });
    const plan = await createPlan(app, actor, {
      name: 'Home 5M',
      downloadBps: 5_000_000,
      uploadBps: 1_000_000,
      priceMinor: 100_000n,
      currency: 'KES',
      audience: 'subscriber',
    });
    for (const [i, phone] of ['+254711000060', '+254711000061', '+254711000062'].entries()) {
      const s = await createSubscriber(app, actor, {
        username: `tower${i}`,
        password: 'secret-1',
        planId: plan.id,
      });
      await t.app.db
        .update(subscribers)
        .set({ phone, tags: i < 2 ? ['tower-3'] : [] })
        .where(eq(subscribers.id, s.id));
    }
    expect(await previewBulk(app, actor, { filter: { tag: 'tower-3' } })).toEqual({
      recipients: 2,
      threshold: 1,
      needsApproval: true,
    });
    await setOptOut(app, actor, { phone: '+254711000061', optedOut: true });
    const bulk = await createBulk(app, actor, {
      filter: { tag: 'tower-3' },
      message: 'Maintenance tonight 22:00.',
    });
    expect(bulk).toMatchObject({ status: 'pending', recipients: 2, queued: 0 });
    expect(await messagesOf(actor.tenantId)).toHaveLength(0);

    // The requester cannot approve it; a second operator can.
    await expect(decideBulk(app, actor, { id: bulk.id, decision: 'approve' })).rejects.toThrow(
      /another person/i,
    );
    const second = await addMember(t.app.db, {
      tenantId: actor.tenantId,
      email: `second-${bulk.id.slice(0, 8)}@example.test`,
      name: 'Second',
      password: 'correct horse battery',
      role: 'operator',
    });
    const other: Actor = { ...actor, userId: second.id, role: 'operator', label: 'second' };
    expect(await decideBulk(app, other, { id: bulk.id, decision: 'approve' })).toMatchObject({
      status: 'sent',
      queued: 1,
    });
    const rows = await runOutbox(actor.tenantId, 2);
    expect(rows.map((r) => [r.toNumber, r.status, r.reason])).toEqual(
      expect.arrayContaining([
        ['+254711000060', 'sent', null],
        ['+254711000061', 'skipped', 'opted out'],
      ]),
    );
    expect(at.messages.filter((m) => m.message.includes('Maintenance tonight'))).toHaveLength(1);
    const outbox = await listOutbox(app, actor, {});
    expect(outbox.find((m) => m.to === '+254711000061')).toMatchObject({ optedOut: true, status: 'skipped' });
  });
});
