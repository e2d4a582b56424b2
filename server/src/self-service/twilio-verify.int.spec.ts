// /my's sign-in codes through Twilio Verify, configured as a server would be
// (KASI_TWILIO_VERIFY_SERVICE_SID with the KASI_TWILIO_* account, the API at a loopback fake
// speaking Verify's shapes): Verify makes and checks the code, Kasi sends no SMS of its own,
// keeps the challenge (no hash) and its limits, and an unknown number reaches Verify not at all.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { otpChallenges, smsMessages, withTenant } from '@kasi/db';
import { loadConfig } from '../config.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { selfServiceHandler } from './self-service.route.ts';
import { freshPhone, selfServiceWorld, type SelfServiceWorld } from './self-service.testing.ts';
import { otpVerifyFrom } from './twilio-verify.ts';
import {
  startVerifyFake,
  VERIFY_TEST_ACCOUNT,
  VERIFY_TEST_SERVICE,
  type VerifyFake,
} from './twilio-verify.testing.ts';

let t: TestApp;
let w: SelfServiceWorld;
let fake: VerifyFake;
let server: Server;
let base = '';
beforeAll(async () => {
  t = await createTestApp();
  w = await selfServiceWorld(t);
  fake = await startVerifyFake();
  const config = loadConfig({
    KASI_TWILIO_ACCOUNT_SID: VERIFY_TEST_ACCOUNT.accountSid,
    KASI_TWILIO_AUTH_TOKEN: VERIFY_TEST_ACCOUNT.authToken,
    KASI_TWILIO_FROM: '+15005550006',
    KASI_TWILIO_VERIFY_SERVICE_SID: VERIFY_TEST_SERVICE,
    KASI_TWILIO_VERIFY_API_URL: fake.url,
  });
  const handle = selfServiceHandler(t.app, { verify: otpVerifyFrom(config.sms) });
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await fake?.close();
  await t.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${base}/api/my/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('/my sign-in codes through Twilio Verify', () => {
  it('asks Verify for the code, signs in with the code Verify sent, once, and queues no SMS of its own', async () => {
    const phone = freshPhone();
    const me = await w.subscriberWithPhone(phone);
    expect((await post('otp', { phone })).status).toBe(202);
    expect(fake.requests.at(-1)).toEqual({
      path: `/v2/Services/${VERIFY_TEST_SERVICE}/Verifications`,
      form: { To: phone, Channel: 'sms' },
    });
    const code = fake.codeFor(phone)!;
    expect(code).toMatch(/^\d{6}$/);
    const [challenge] = await withTenant(w.actor.tenantId, () =>
      t.app.db.select().from(otpChallenges).where(eq(otpChallenges.phone, phone)),
    );
    expect(challenge).toMatchObject({ provider: 'twilio_verify', codeHash: null, subscriberId: me.id });
    const sms = await withTenant(w.actor.tenantId, () =>
      t.app.db
        .select()
        .from(smsMessages)
        .where(and(eq(smsMessages.tenantId, w.actor.tenantId), eq(smsMessages.toNumber, phone))),
    );
    expect(sms).toEqual([]);

    const wrong = await post('otp/verify', { phone, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('OTP.WRONG_CODE');
    const ok = await post('otp/verify', { phone, code });
    expect(ok.status).toBe(200);
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0]!;
    const account = await fetch(`${base}/api/my/account`, { headers: { cookie } });
    expect(((await account.json()) as { account: { username: string } }).account.username).toBe(me.username);
    // Used: Verify has nothing pending, and Kasi's challenge is consumed.
    expect((await post('otp/verify', { phone, code })).status).toBe(401);
  });

  it('sends nothing to Verify for a number no subscriber has, and answers the same', async () => {
    const sent = fake.requests.length;
    const res = await post('otp', { phone: freshPhone() });
    expect(res.status).toBe(202);
    expect(fake.requests.length).toBe(sent);
  });

  it('still counts the checks itself: the sixth guess is refused without asking Verify', async () => {
    const phone = freshPhone();
    await w.subscriberWithPhone(phone);
    expect((await post('otp', { phone })).status).toBe(202);
    const code = fake.codeFor(phone)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await post('otp/verify', { phone, code: wrong })).status).toBe(401);
    const checks = fake.requests.filter((r) => r.path.endsWith('/VerificationCheck')).length;
    expect((await post('otp/verify', { phone, code })).status).toBe(401);
    expect(fake.requests.filter((r) => r.path.endsWith('/VerificationCheck')).length).toBe(checks);
  });
});
