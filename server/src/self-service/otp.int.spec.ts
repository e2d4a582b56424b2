import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, otpChallenges, smsMessages, subscribers, withTenant } from '@kasi/db';
import { isDomainError } from '@kasi/domain';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import {
  confirmPhoneChange,
  requestPhoneChange,
  requestSignInCode,
  verifySignInCode,
  type OtpDeps,
} from './otp.service.ts';
import { setSmsSettings } from '../sms/sms-settings.service.ts';
import { signInWithPassword } from './password-sign-in.ts';
import { findSubscriberSession } from './subscriber-session.ts';
import { freshPhone, selfServiceWorld, type SelfServiceWorld } from './self-service.testing.ts';

let t: TestApp;
let w: SelfServiceWorld;
let deps: OtpDeps;
let ipSeq = 0;
/** Each test its own address, so the per-address limits of one do not reach another. */
const freshIp = () => `198.51.100.${++ipSeq}`;
const client = (ip: string) => ({ ip, userAgent: 'vitest' });

beforeAll(async () => {
  t = await createTestApp();
  w = await selfServiceWorld(t);
  deps = { app: t.app, verify: null };
});
afterAll(async () => {
  await t.close();
});

async function failure(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isDomainError(e)) throw new Error(`expected a domain error, got ${String(e)}`);
  return { code: e.code, kind: e.kind, message: e.message, details: e.details };
}

describe('one-time codes for signing in to /my', () => {
  it('sends a six-digit code that opens one subscriber session, once', async () => {
    const phone = freshPhone();
    const sub = await w.subscriberWithPhone(phone);
    const ip = freshIp();
    const sent = await requestSignInCode(deps, { phone, ip });
    expect(sent).toEqual({ expiresInSeconds: 300, resendAfterSeconds: 60 });
    const code = await w.lastCode(phone);
    expect(code).toMatch(/^\d{6}$/);
    // Stored hashed: the code itself is nowhere in the challenge row.
    const [row] = await withTenant(w.actor.tenantId, () =>
      t.app.db.select().from(otpChallenges).where(eq(otpChallenges.phone, phone)),
    );
    expect(row!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(code);

    const wrong = code === '000000' ? '111111' : '000000';
    expect((await failure(verifySignInCode(deps, { phone, code: wrong }, client(ip)))).code).toBe(
      'OTP.WRONG_CODE',
    );
    const { token } = await verifySignInCode(deps, { phone, code: code! }, client(ip));
    const s = await findSubscriberSession(t.app, token);
    expect(s).toMatchObject({ subscriberId: sub.id, tenantId: w.actor.tenantId, method: 'otp' });
    // Single use.
    expect((await failure(verifySignInCode(deps, { phone, code: code! }, client(ip)))).code).toBe(
      'OTP.WRONG_CODE',
    );
  });

  it('accepts the number as a subscriber types it when the server has a country code', async () => {
    const phone = freshPhone();
    await w.subscriberWithPhone(phone);
    const local = { app: { ...t.app, sms: { ...t.app.sms!, countryCode: '254' } }, verify: null } as OtpDeps;
    await requestSignInCode(local, { phone: `0${phone.slice(4)}`, ip: freshIp() });
    expect(await w.lastCode(phone)).toMatch(/^\d{6}$/);
  });

  it('answers an unknown number exactly as a known one, and stores and sends nothing for it', async () => {
    const known = freshPhone();
    await w.subscriberWithPhone(known);
    const unknown = freshPhone();
    const ip = freshIp();
    const a = await requestSignInCode(deps, { phone: known, ip });
    const b = await requestSignInCode(deps, { phone: unknown, ip });
    expect(b).toEqual(a);
    const rows = await withTenant(w.actor.tenantId, () =>
      t.app.db.select().from(smsMessages).where(eq(smsMessages.toNumber, unknown)),
    );
    expect(rows).toHaveLength(0);
    const wrongKnown = await failure(verifySignInCode(deps, { phone: known, code: '123456' }, client(ip)));
    const wrongUnknown = await failure(
      verifySignInCode(deps, { phone: unknown, code: '123456' }, client(ip)),
    );
    expect(wrongUnknown).toEqual(wrongKnown);
    // The same limit on asking again, known or not.
    const againKnown = await failure(requestSignInCode(deps, { phone: known, ip }));
    const againUnknown = await failure(requestSignInCode(deps, { phone: unknown, ip }));
    expect(againUnknown.code).toBe(againKnown.code);
    expect(againUnknown.kind).toBe('rate_limited');
  });

  it('counts at most five checks of a code when twenty wrong guesses arrive at once, then refuses the right one', async () => {
    const phone = freshPhone();
    await w.subscriberWithPhone(phone);
    await requestSignInCode(deps, { phone, ip: freshIp() });
    const code = (await w.lastCode(phone))!;
    const wrong = (n: number) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
    const guesses = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        verifySignInCode(deps, { phone, code: wrong(i + 1) }, client(freshIp())),
      ),
    );
    expect(guesses.every((g) => g.status === 'rejected')).toBe(true);
    expect(await w.attempts(phone)).toBe(5);
    expect((await failure(verifySignInCode(deps, { phone, code }, client(freshIp())))).code).toBe(
      'OTP.WRONG_CODE',
    );
  });

  it('opens one session when the right code is sent twice at the same moment', async () => {
    const phone = freshPhone();
    await w.subscriberWithPhone(phone);
    await requestSignInCode(deps, { phone, ip: freshIp() });
    const code = (await w.lastCode(phone))!;
    const both = await Promise.allSettled([
      verifySignInCode(deps, { phone, code }, client(freshIp())),
      verifySignInCode(deps, { phone, code }, client(freshIp())),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses a code older than five minutes', async () => {
    const phone = freshPhone();
    await w.subscriberWithPhone(phone);
    await requestSignInCode(deps, { phone, ip: freshIp() });
    const code = (await w.lastCode(phone))!;
    await withTenant(w.actor.tenantId, () =>
      t.app.db
        .update(otpChallenges)
        .set({ expiresAt: sql`now() - interval '1 second'` })
        .where(eq(otpChallenges.phone, phone)),
    );
    expect((await failure(verifySignInCode(deps, { phone, code }, client(freshIp())))).code).toBe(
      'OTP.WRONG_CODE',
    );
  });

  it('throttles asking again per number with a retry delay, and per address across numbers under concurrency', async () => {
    const phone = freshPhone();
    await w.subscriberWithPhone(phone);
    await requestSignInCode(deps, { phone, ip: freshIp() });
    const again = await failure(requestSignInCode(deps, { phone, ip: freshIp() }));
    expect(again.kind).toBe('rate_limited');
    expect(Number(again.details?.retryAfterSeconds)).toBeGreaterThan(0);
    expect(Number(again.details?.retryAfterSeconds)).toBeLessThanOrEqual(60);

    const ip = freshIp();
    const burst = await Promise.allSettled(
      Array.from({ length: 15 }, () => requestSignInCode(deps, { phone: freshPhone(), ip })),
    );
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
  });

  it('refuses a number that cannot be made international, naming the field', async () => {
    const e = await failure(requestSignInCode(deps, { phone: '0712 345', ip: freshIp() }));
    expect(e).toMatchObject({ code: 'OTP.BAD_PHONE', kind: 'invalid', details: { field: 'phone' } });
  });
});

describe('changing the phone number', () => {
  it('sends the code to the new number and changes it only with that code, audited, ending other sessions', async () => {
    const phone = freshPhone();
    const sub = await w.subscriberWithPhone(phone);
    const ip = freshIp();
    await requestSignInCode(deps, { phone, ip });
    const first = await verifySignInCode(deps, { phone, code: (await w.lastCode(phone))! }, client(ip));
    // A second session, on another device.
    const other = await signInWithPassword(
      t.app,
      { username: sub.username, password: 'secret-pass-1' },
      client(ip),
    );
    const s = (await findSubscriberSession(t.app, first.token))!;

    const next = freshPhone();
    const asked = await requestPhoneChange(deps, s, { phone: next, ip });
    expect(asked.phone).toBe(next);
    const code = (await w.lastCode(next))!;
    expect(code).toMatch(/^\d{6}$/);
    expect(
      (await failure(confirmPhoneChange(deps, s, { code: code === '000000' ? '111111' : '000000', ip })))
        .code,
    ).toBe('OTP.WRONG_CODE');
    expect(await confirmPhoneChange(deps, s, { code, ip })).toEqual({ phone: next });
    const [row] = await withTenant(w.actor.tenantId, () =>
      t.app.db.select({ phone: subscribers.phone }).from(subscribers).where(eq(subscribers.id, sub.id)),
    );
    expect(row!.phone).toBe(next);
    const audits = await withTenant(w.actor.tenantId, () =>
      t.app.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, sub.id), eq(auditLog.action, 'subscriber.phone.change'))),
    );
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0]!.after)).not.toContain(next);
    // The session that proved the new number stays; the other one ends.
    expect(await findSubscriberSession(t.app, first.token)).not.toBeNull();
    expect(await findSubscriberSession(t.app, other.token)).toBeNull();
  });

  it("completes a national number with the subscriber's own tenant's country code, never another's", async () => {
    // Another tenant texts in North America: its calling code must not complete this one's numbers.
    const other = await t.newTenant();
    const sms = {
      provider: 'africastalking' as const,
      environment: 'sandbox' as const,
      username: 'sandbox',
      apiKey: 'atsk-test-key-0123456789',
      senderId: null,
      defaultLanguage: 'en' as const,
      bulkApprovalThreshold: null,
    };
    await setSmsSettings(t.app, other.actor, { ...sms, countryCode: '1' });
    await setSmsSettings(t.app, w.actor, { ...sms, countryCode: '254' });
    const sub = await w.subscriberWithPhone(freshPhone());
    const ip = freshIp();
    const { token } = await signInWithPassword(
      t.app,
      { username: sub.username, password: 'secret-pass-1' },
      client(ip),
    );
    const s = (await findSubscriberSession(t.app, token))!;
    const next = freshPhone();
    const asked = await requestPhoneChange(deps, s, { phone: `0${next.slice(4)}`, ip });
    expect(asked.phone).toBe(next);
    expect(await w.lastCode(next)).toMatch(/^\d{6}$/);

    const e = await failure(requestPhoneChange(deps, s, { phone: 'not a number', ip: freshIp() }));
    expect(e).toMatchObject({ code: 'OTP.BAD_PHONE', kind: 'invalid', details: { field: 'phone' } });
  });
});
