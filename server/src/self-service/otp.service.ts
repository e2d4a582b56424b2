// One-time codes by SMS: to sign in to /my, and to prove a new phone number before it replaces
// the old one. Six digits, hashed, 5 minutes, 5 checks, throttled per number and per address.
// A number no subscriber has is throttled the same, stores and sends nothing, and gets the
// same answers (code sent; wrong or expired code): nothing tells them apart. The subscriber is
// looked up across tenants (row-level security's lookup scope, SELECT only); everything
// written after that runs under the subscriber's tenant.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import {
  otpChallenges,
  subscribers,
  withTenant,
  withTenantLookup,
  writeAudit,
  type Executor,
  type OtpPurpose,
} from '@kasi/db';
import { invalid, unauthenticated } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import type { ClientInfo } from '../auth/session-store.ts';
import { maskPhone, toE164 } from '../sms/phone-number.ts';
import { smsSetup } from '../sms/sms-config.ts';
import { queueSms } from '../sms/sms-outbox.ts';
import { newOtpCode, OTP_MAX_ATTEMPTS, OTP_TTL_MS, otpHash, otpMatches } from './otp-code.ts';
import { claimOtpCheck, claimOtpSend, RESEND_GAP_MS } from './otp-throttle.ts';
import { phoneForms, subscribersByPhone } from './subscriber-lookup.ts';
import {
  openSubscriberSession,
  revokeOtherSubscriberSessions,
  type SubscriberSession,
} from './subscriber-session.ts';
import type { OtpVerifyProvider } from './twilio-verify.ts';

export interface OtpDeps {
  app: AppContext;
  /** Twilio Verify holds the codes when configured; else Kasi's own code and the SMS outbox. */
  verify: OtpVerifyProvider | null;
}

/** The same answer for every accepted request. */
export interface CodeSent {
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

const SENT: CodeSent = { expiresInSeconds: OTP_TTL_MS / 1000, resendAfterSeconds: RESEND_GAP_MS / 1000 };
const wrongCode = () => unauthenticated('OTP.WRONG_CODE', 'Wrong or expired code');

interface Target {
  tenantId: string;
  subscriberId: string;
  phone: string;
}

/** Stores the challenge and sends the code (the SMS outbox, or Twilio Verify). */
async function issue(deps: OtpDeps, purpose: OtpPurpose, target: Target) {
  const { app } = deps;
  const { phone } = target;
  const id = randomUUID();
  const code = newOtpCode();
  const viaVerify = deps.verify !== null;
  const expiresAt = new Date(Date.now() + OTP_TTL_MS);
  await app.db.transaction(async (tx) => {
    await tx.insert(otpChallenges).values({
      id,
      purpose,
      phone,
      tenantId: target.tenantId,
      subscriberId: target.subscriberId,
      codeHash: viaVerify ? null : otpHash(id, code),
      provider: viaVerify ? 'twilio_verify' : 'kasi',
      expiresAt,
    });
    if (!viaVerify) {
      await queueSms(app, tx, {
        tenantId: target.tenantId,
        to: phone,
        event: 'otp',
        vars: { code, minutes: String(OTP_TTL_MS / 60_000) },
        subscriberId: target.subscriberId,
        dedupeKey: `otp:${id}`,
        expiresAt,
      });
    }
  });
  if (viaVerify) await deps.verify!.start(phone);
}

/** The newest subscriber with the typed number (any tenant), and the number's key. */
async function whoHas(app: AppContext, typed: string) {
  return withTenantLookup(async () => {
    const forms = await phoneForms(app, app.db, typed);
    const [found] = await subscribersByPhone(app.db, forms);
    return { found: found ?? null, phone: found?.phone ?? forms[0]! };
  });
}

export async function requestSignInCode(
  deps: OtpDeps,
  input: { phone: string; ip: string },
): Promise<CodeSent> {
  const { app } = deps;
  const { found, phone } = await whoHas(app, input.phone);
  await claimOtpSend(app.db, 'sign_in', phone, input.ip);
  if (found) {
    const target = { tenantId: found.tenantId, subscriberId: found.id, phone };
    await withTenant(found.tenantId, () => issue(deps, 'sign_in', target));
  }
  return SENT;
}

type Challenge = typeof otpChallenges.$inferSelect;

/**
 * Counts one check against the newest live challenge, in one statement: PostgreSQL re-checks
 * `attempts < 5` on the locked row, so concurrent guesses cannot pass the limit. Null when
 * there is none left to check.
 */
async function claimCheck(db: Executor, where: ReturnType<typeof and>): Promise<Challenge | null> {
  const newest = db
    .select({ id: otpChallenges.id })
    .from(otpChallenges)
    .where(and(where, isNull(otpChallenges.consumedAt), gt(otpChallenges.expiresAt, sql`now()`)))
    .orderBy(desc(otpChallenges.createdAt))
    .limit(1);
  const [row] = await db
    .update(otpChallenges)
    .set({ attempts: sql`${otpChallenges.attempts} + 1` })
    .where(
      and(
        eq(otpChallenges.id, sql`(${newest})`),
        lt(otpChallenges.attempts, OTP_MAX_ATTEMPTS),
        isNull(otpChallenges.consumedAt),
      ),
    )
    .returning();
  return row ?? null;
}

async function codeIsRight(deps: OtpDeps, ch: Challenge, code: string): Promise<boolean> {
  if (ch.provider === 'twilio_verify') return deps.verify ? deps.verify.check(ch.phone, code) : false;
  return ch.codeHash !== null && otpMatches(ch.id, ch.codeHash, code);
}

/** Marks the challenge used; false when a concurrent check used it first (single use). */
async function consume(tx: Executor, id: string): Promise<boolean> {
  const used = await tx
    .update(otpChallenges)
    .set({ consumedAt: new Date() })
    .where(and(eq(otpChallenges.id, id), isNull(otpChallenges.consumedAt)))
    .returning({ id: otpChallenges.id });
  return used.length === 1;
}

/** Checks a sign-in code and opens a subscriber session: the cookie token, once. */
export async function verifySignInCode(
  deps: OtpDeps,
  input: { phone: string; code: string },
  client: ClientInfo,
): Promise<{ token: string }> {
  const { app } = deps;
  await claimOtpCheck(app.db, client.ip);
  const { found, phone } = await whoHas(app, input.phone);
  if (!found) throw wrongCode();
  return withTenant(found.tenantId, () => checkSignIn(deps, found.tenantId, phone, input.code, client));
}

async function checkSignIn(deps: OtpDeps, tenantId: string, phone: string, code: string, client: ClientInfo) {
  const { app } = deps;
  const ch = await claimCheck(
    app.db,
    and(
      eq(otpChallenges.tenantId, tenantId),
      eq(otpChallenges.purpose, 'sign_in'),
      eq(otpChallenges.phone, phone),
    ),
  );
  if (!ch || !(await codeIsRight(deps, ch, code))) throw wrongCode();
  return app.db.transaction(async (tx) => {
    if (!(await consume(tx, ch.id))) throw wrongCode();
    const [sub] = await tx
      .select({ id: subscribers.id, username: subscribers.username, phone: subscribers.phone })
      .from(subscribers)
      .where(and(eq(subscribers.tenantId, ch.tenantId), eq(subscribers.id, ch.subscriberId)));
    // The number was changed between the request and the check: the code proves nothing now.
    if (!sub || sub.phone !== ch.phone) throw wrongCode();
    const token = await openSubscriberSession(
      tx,
      { tenantId: ch.tenantId, subscriberId: sub.id, username: sub.username },
      client,
      'otp',
    );
    return { token };
  });
}

/**
 * A signed-in subscriber asks to move to a new number: the code goes to the new number. The
 * tenant is known here, so a national number (0712…) is completed with that tenant's SMS
 * country code only — never another tenant's — and one that cannot be is refused.
 */
export async function requestPhoneChange(
  deps: OtpDeps,
  s: SubscriberSession,
  input: { phone: string; ip: string },
): Promise<CodeSent & { phone: string }> {
  const { app } = deps;
  const { countryCode } = await withTenant(s.tenantId, () => smsSetup(app, app.db, s.tenantId));
  const phone = input.phone.length <= 32 ? toE164(input.phone, countryCode) : null;
  if (!phone) {
    throw invalid('OTP.BAD_PHONE', 'Enter the number with its country code, e.g. +254 712 345 678', {
      field: 'phone',
    });
  }
  await claimOtpSend(app.db, 'change_phone', phone, input.ip);
  await withTenant(s.tenantId, () =>
    issue(deps, 'change_phone', { tenantId: s.tenantId, subscriberId: s.subscriberId, phone }),
  );
  return { ...SENT, phone };
}

/** The code from the new number: the number is changed, audited, other sessions end. */
export async function confirmPhoneChange(
  deps: OtpDeps,
  s: SubscriberSession,
  input: { code: string; ip: string },
): Promise<{ phone: string }> {
  const { app } = deps;
  await claimOtpCheck(app.db, input.ip);
  return withTenant(s.tenantId, () => changePhone(deps, s, input.code));
}

async function changePhone(deps: OtpDeps, s: SubscriberSession, code: string) {
  const { app } = deps;
  const ch = await claimCheck(
    app.db,
    and(
      eq(otpChallenges.purpose, 'change_phone'),
      eq(otpChallenges.tenantId, s.tenantId),
      eq(otpChallenges.subscriberId, s.subscriberId),
    ),
  );
  if (!ch || !(await codeIsRight(deps, ch, code))) throw wrongCode();
  return app.db.transaction(async (tx) => {
    if (!(await consume(tx, ch.id))) throw wrongCode();
    const [before] = await tx
      .select({ phone: subscribers.phone })
      .from(subscribers)
      .where(and(eq(subscribers.tenantId, s.tenantId), eq(subscribers.id, s.subscriberId)));
    await tx
      .update(subscribers)
      .set({ phone: ch.phone, updatedAt: new Date() })
      .where(and(eq(subscribers.tenantId, s.tenantId), eq(subscribers.id, s.subscriberId)));
    await revokeOtherSubscriberSessions(tx, s.tenantId, s.subscriberId, s.sessionId);
    await writeAudit(tx, {
      tenantId: s.tenantId,
      actorUserId: null,
      actor: `subscriber:${s.username}`,
      action: 'subscriber.phone.change',
      entityType: 'subscriber',
      entityId: s.subscriberId,
      before: { phone: before?.phone ? maskPhone(before.phone) : null },
      after: { phone: maskPhone(ch.phone), provedBy: 'otp' },
    });
    return { phone: ch.phone };
  });
}
