// `BUY <plan>` by SMS: an inbound message through Twilio's signed webhook (the fake at the
// provider edge) is answered with a "buy plan" pay link that opens on the real pay page for
// that plan's price; a name that matches no plan gets the list; a tenant that sells no plan
// online says buying by SMS is not enabled.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, payLinks, smsMessages } from '@kasi/db';
import type { Actor } from '../app-context.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { startTwilioFake, type TwilioFake } from '../testing/twilio-fake.ts';
import { createHttpServer } from '../http/http-server.ts';
import { createPlan } from '../plans/plan.service.ts';
import { hashToken } from '../payments/gateway-factory.ts';
import { paymentDepsOf } from '../payments/payment-deps.ts';
import { paymentRoutes } from '../payments/payment-routes.ts';
import { smsEnvironment } from './sms-env.ts';
import { smsHooksHandler } from './sms-hooks.route.ts';
import { getSmsSettings, setSmsSettings } from './sms-settings.service.ts';

let t: TestApp;
let tw: TwilioFake;
let server: Server;
let base = '';

beforeAll(async () => {
  t = await createTestApp();
  tw = await startTwilioFake();
  t.app.sms = smsEnvironment({
    publicUrl: 'https://kasi.example',
    sms: { twilio: null, countryCode: null, hotspotUrl: 'http://hotspot.lan', twilioApiUrl: tw.url },
  });
  server = createHttpServer(t.app, tmpdir(), {
    smsHooks: smsHooksHandler(t.app),
    payments: paymentRoutes(paymentDepsOf(t.app)),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await tw.close();
  await t.close();
});

async function twilioTenant(): Promise<{ actor: Actor; inboundUrl: string }> {
  const { actor } = await t.newTenant();
  await setSmsSettings(t.app, actor, {
    provider: 'twilio',
    accountSid: tw.accountSid,
    authToken: tw.authToken,
    countryCode: '254',
    senderId: '+15005550006',
    defaultLanguage: 'en',
    bulkApprovalThreshold: null,
  });
  const urls = (await getSmsSettings(t.app, actor)).webhookUrls;
  return { actor, inboundUrl: urls?.twilioInbound ?? '' };
}

let sid = 0;
async function textIn(url: string, from: string, body: string) {
  const all = {
    AccountSid: tw.accountSid,
    ApiVersion: '2010-04-01',
    To: '+15005550006',
    MessageSid: `SM${String(++sid).padStart(32, '0')}`,
    From: from,
    Body: body,
  };
  const signature = twilio.getExpectedTwilioSignature(tw.authToken, url, all);
  const r = await fetch(`${base}${new URL(url).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(all),
  });
  expect(r.status).toBe(200);
}

/** The reply's text, without the template's "<tenant>: " in front. */
const lastReply = async (tenantId: string, to: string) => {
  const rows = await t.app.db
    .select()
    .from(smsMessages)
    .where(
      and(
        eq(smsMessages.tenantId, tenantId),
        eq(smsMessages.toNumber, to),
        eq(smsMessages.event, 'inbound_reply'),
      ),
    )
    .orderBy(smsMessages.createdAt);
  return (rows.at(-1)?.body ?? '').replace(/^[^:]*: /, '');
};

const plan = (actor: Actor, name: string, priceMinor: bigint, audience: 'voucher' | 'subscriber') =>
  createPlan(t.app, actor, {
    name,
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    priceMinor,
    currency: 'KES',
    audience,
    validitySeconds: 86_400,
  });

describe('BUY <plan> by SMS', () => {
  it('answers with a pay link for the named plan that opens on the pay page at its price', async () => {
    const { actor, inboundUrl } = await twilioTenant();
    const day = await plan(actor, 'Day pass', 5_000n, 'voucher');
    await plan(actor, 'Week pass', 30_000n, 'voucher');
    await plan(actor, 'Home 10M', 200_000n, 'subscriber');

    // Any case, and a unique beginning of the name is enough.
    await textIn(inboundUrl, '0711000070', 'buy DAY');
    const reply = await lastReply(actor.tenantId, '+254711000070');
    expect(reply).toMatch(/^Day pass \(50\.00 KES\)\. Pay here: https?:\/\/\S+\/p\/[\w-]{16,}/);
    const url = new URL(/(https?:\/\/\S+\/p\/[\w-]+)/.exec(reply)![1]!);

    const [link] = await t.app.db
      .select()
      .from(payLinks)
      .where(eq(payLinks.tokenHash, hashToken(url.pathname.slice(3))));
    expect(link).toMatchObject({ tenantId: actor.tenantId, kind: 'plan', planId: day.id, routerId: null });
    const [audit] = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, link!.id), eq(auditLog.action, 'payment.link.create')));
    expect(audit?.actor).toBe('sms:inbound');

    // The link works: the pay page shows the plan's price (the tenant has no gateway yet).
    const page = await fetch(`${base}${url.pathname}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('50.00 KES');
    expect(html).not.toContain('not valid');
  });

  it('lists the plans for a name that matches none, or an ambiguous one', async () => {
    const { actor, inboundUrl } = await twilioTenant();
    await plan(actor, 'Hour', 2_000n, 'voucher');
    await plan(actor, 'Day pass', 5_000n, 'voucher');
    await plan(actor, 'Daily max', 8_000n, 'voucher');
    const before = await t.app.db.select().from(payLinks).where(eq(payLinks.tenantId, actor.tenantId));

    await textIn(inboundUrl, '+254711000071', 'BUY month');
    expect(await lastReply(actor.tenantId, '+254711000071')).toBe(
      'Send BUY and a plan: Hour 20.00 KES, Day pass 50.00 KES, Daily max 80.00 KES.',
    );
    await textIn(inboundUrl, '+254711000071', 'BUY da');
    expect(await lastReply(actor.tenantId, '+254711000071')).toMatch(/^Send BUY and a plan:/);
    await textIn(inboundUrl, '+254711000071', 'BUY');
    expect(await lastReply(actor.tenantId, '+254711000071')).toMatch(/^Send BUY and a plan:/);
    const after = await t.app.db.select().from(payLinks).where(eq(payLinks.tenantId, actor.tenantId));
    expect(after).toHaveLength(before.length);

    // An exact name wins over a longer one that starts the same way.
    await textIn(inboundUrl, '+254711000071', 'buy day-pass');
    expect(await lastReply(actor.tenantId, '+254711000071')).toMatch(/^Day pass \(50\.00 KES\)\. Pay here:/);
  });

  it('says buying by SMS is not enabled when the tenant sells no plan online', async () => {
    const { actor, inboundUrl } = await twilioTenant();
    await plan(actor, 'Home 10M', 200_000n, 'subscriber');
    await textIn(inboundUrl, '+254711000072', 'BUY Home 10M');
    expect(await lastReply(actor.tenantId, '+254711000072')).toContain('Buying plans by SMS is not enabled');
  });
});
