// WebAuthn passkeys as an operator's second factor (ADR 0014, "Passkeys"): registered from the
// Account page, used after the password instead of a TOTP code, removed with the password or a
// code. Challenges live server-side (webauthn_challenges): one pending per person and purpose,
// five minutes, deleted by the step that checks them — in a statement of its own, so a refused
// response spends its challenge too. The relying party is the server's public URL.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticatorTransport,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import {
  authSessions,
  tenants,
  users,
  userPasskeys,
  userTwoFactor,
  webauthnChallenges,
  writeAudit,
  type Executor,
} from '@kasi/db';
import { conflict, forbidden, invalid, notFound, unauthenticated } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { accountCheckKeys, claimLoginAttempt, forgetKeys } from './login-throttle.ts';
import { verifyPassword } from './password.ts';
import { spendSecondFactor, type SecondFactorMethod } from './second-factor.ts';
import type { AuthenticationResponseInput, RegistrationResponseInput } from './passkey-inputs.ts';

export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
/** COSE algorithm ids offered at registration, in order of preference. */
export const SUPPORTED_ALGORITHMS = [-7, -8, -257];
/** Enough for a phone, a laptop and spare keys; a bound on what one person can store. */
export const MAX_PASSKEYS = 10;

/** The transports WebAuthn names; anything else a browser reports is dropped. */
const KNOWN_TRANSPORTS: ReadonlySet<string> = new Set(['ble', 'hybrid', 'internal', 'nfc', 'usb']);

export interface RelyingParty {
  /** The host name of the public URL (WebAuthn binds credentials to it). */
  id: string;
  /** Scheme, host and port the browser must report in clientDataJSON. */
  origin: string;
  name: string;
}

/** From the server's public URL (KASI_PUBLIC_URL): passkeys work only on that address. */
export function relyingParty(app: Pick<AppContext, 'publicUrl'>): RelyingParty {
  const url = new URL(app.publicUrl ?? 'http://localhost:3000');
  return { id: url.hostname, origin: url.origin, name: 'Kasi' };
}

const transportsOf = (list: readonly string[] | undefined): AuthenticatorTransport[] =>
  (list ?? []).filter((t) => KNOWN_TRANSPORTS.has(t)) as AuthenticatorTransport[];

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

function userOf(actor: Actor): string {
  if (!actor.userId) throw forbidden('AUTH.NOT_A_USER', 'Only a signed-in person has a passkey');
  return actor.userId;
}

/** Does this person have a passkey (a second factor as good as TOTP)? */
export async function hasPasskey(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: userPasskeys.id })
    .from(userPasskeys)
    .where(eq(userPasskeys.userId, userId))
    .limit(1);
  return Boolean(row);
}

async function storeChallenge(
  db: Executor,
  row: { userId: string; tenantId: string; purpose: 'register' | 'sign_in'; challenge: string },
): Promise<void> {
  const expiresAt = new Date(Date.now() + WEBAUTHN_CHALLENGE_TTL_MS);
  await db
    .insert(webauthnChallenges)
    .values({ ...row, expiresAt })
    .onConflictDoUpdate({
      target: [webauthnChallenges.userId, webauthnChallenges.purpose],
      set: { challenge: row.challenge, tenantId: row.tenantId, expiresAt, createdAt: new Date() },
    });
}

/** Spends the pending challenge (whether or not the response then verifies). */
async function takeChallenge(
  db: Executor,
  userId: string,
  purpose: 'register' | 'sign_in',
): Promise<string | null> {
  const [row] = await db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.userId, userId), eq(webauthnChallenges.purpose, purpose)))
    .returning({ challenge: webauthnChallenges.challenge, expiresAt: webauthnChallenges.expiresAt });
  return row && row.expiresAt > new Date() ? row.challenge : null;
}

export async function listPasskeys(app: AppContext, actor: Actor) {
  const userId = userOf(actor);
  return app.db
    .select({
      id: userPasskeys.id,
      name: userPasskeys.name,
      backedUp: userPasskeys.backedUp,
      createdAt: userPasskeys.createdAt,
      lastUsedAt: userPasskeys.lastUsedAt,
    })
    .from(userPasskeys)
    .where(eq(userPasskeys.userId, userId))
    .orderBy(userPasskeys.createdAt);
}

/** Options for navigator.credentials.create(); the challenge is kept for addPasskey. */
export async function passkeyRegistrationOptions(app: AppContext, actor: Actor) {
  const userId = userOf(actor);
  if (actor.role === 'agent') {
    throw invalid('TWO_FACTOR.NOT_FOR_AGENTS', 'Agents sign in with their enrolled phone, not a passkey');
  }
  const rp = relyingParty(app);
  return app.db.transaction(async (tx) => {
    const [user] = await tx
      .select({ email: users.email, name: users.name })
      .from(users)
      .where(eq(users.id, userId));
    if (!user) throw unauthenticated('AUTH.NO_SESSION', 'Please log in');
    const existing = await tx
      .select({ credentialId: userPasskeys.credentialId, transports: userPasskeys.transports })
      .from(userPasskeys)
      .where(eq(userPasskeys.userId, userId));
    if (existing.length >= MAX_PASSKEYS) {
      throw conflict('PASSKEY.TOO_MANY', `You can keep at most ${MAX_PASSKEYS} passkeys. Remove one first.`);
    }
    const options = await generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userName: user.email,
      userDisplayName: user.name,
      // The WebAuthn user handle: the user's id, never the email.
      userID: new Uint8Array(Buffer.from(userId.replaceAll('-', ''), 'hex')),
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({
        id: c.credentialId,
        transports: transportsOf(c.transports),
      })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      // ES256, Ed25519, RS256: what authenticators have long supported. The library would offer
      // ML-DSA first, whose check in Node's WebCrypto is still experimental.
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
      timeout: WEBAUTHN_CHALLENGE_TTL_MS,
    });
    await storeChallenge(tx, {
      userId,
      tenantId: actor.tenantId,
      purpose: 'register',
      challenge: options.challenge,
    });
    return options;
  });
}

const notVerified = () =>
  invalid('PASSKEY.NOT_VERIFIED', 'That passkey could not be checked. Try again.', { field: 'passkey' });

/** Checks the authenticator's answer to the stored challenge and keeps the credential. */
export async function addPasskey(
  app: AppContext,
  actor: Actor,
  input: { name: string; response: RegistrationResponseInput },
) {
  const userId = userOf(actor);
  const rp = relyingParty(app);
  const expectedChallenge = await takeChallenge(app.db, userId, 'register');
  if (!expectedChallenge) {
    throw invalid('PASSKEY.EXPIRED', 'This passkey request has expired. Start again.', { field: 'passkey' });
  }
  let info;
  try {
    const verification = await verifyRegistrationResponse({
      response: { ...input.response, clientExtensionResults: {} } as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // A second factor after the password: possession is the point; a PIN or fingerprint is welcome.
      requireUserVerification: false,
    });
    info = verification.verified ? verification.registrationInfo : undefined;
  } catch (e) {
    app.log.info({ event: 'passkey_register_refused', reason: (e as Error).message }, 'passkey refused');
  }
  if (!info) throw notVerified();
  const credential = info.credential;
  return app.db.transaction(async (tx) => {
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(userPasskeys)
      .where(eq(userPasskeys.userId, userId));
    if ((count?.n ?? 0) >= MAX_PASSKEYS) {
      throw conflict('PASSKEY.TOO_MANY', `You can keep at most ${MAX_PASSKEYS} passkeys. Remove one first.`);
    }
    const [stored] = await tx
      .insert(userPasskeys)
      .values({
        userId,
        tenantId: actor.tenantId,
        name: input.name,
        credentialId: credential.id,
        publicKey: b64(credential.publicKey),
        counter: credential.counter,
        transports: transportsOf(input.response.response.transports ?? credential.transports),
        backedUp: info.credentialBackedUp,
      })
      .onConflictDoNothing()
      .returning({ id: userPasskeys.id, name: userPasskeys.name, createdAt: userPasskeys.createdAt });
    if (!stored) throw conflict('PASSKEY.ALREADY_ADDED', 'This passkey is already on your account');
    // A session held at the enrolment gate (ADR 0014) may go on: a passkey is a second factor.
    await tx
      .update(authSessions)
      .set({ mustEnrolTwoFactor: false })
      .where(and(eq(authSessions.userId, userId), eq(authSessions.mustEnrolTwoFactor, true)));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'auth.passkey.register',
      entityType: 'user',
      entityId: userId,
      after: { passkeyId: stored.id, name: stored.name, backedUp: info.credentialBackedUp },
    });
    return stored;
  });
}

async function tenantRequires(db: Executor, actor: Actor): Promise<boolean> {
  const [t] = await db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, actor.tenantId));
  return t?.settings.requireTwoFactorForAdmins === true && (actor.role === 'owner' || actor.role === 'admin');
}

/** Needs the password or a TOTP/recovery code; the last second factor stays where the tenant requires one. */
export async function removePasskey(
  app: AppContext,
  actor: Actor,
  input: { id: string; password?: string | undefined; code?: string | undefined },
) {
  const userId = userOf(actor);
  if (!input.password && !input.code) {
    throw invalid('PASSKEY.PROOF_NEEDED', 'Enter your password or a code to remove a passkey', {
      field: 'password',
    });
  }
  const keys = accountCheckKeys(userId, 'second-factor');
  // Counted before the password hash and the code: a stolen session cannot search either.
  await claimLoginAttempt(app.db, keys);
  let method: 'password' | SecondFactorMethod;
  if (input.password) {
    const [user] = await app.db.select().from(users).where(eq(users.id, userId));
    if (!user || !(await verifyPassword(user.passwordHash, input.password))) {
      throw invalid('AUTH.WRONG_PASSWORD', 'That password is not right', { field: 'password' });
    }
    method = 'password';
  }
  const removed = await app.db.transaction(async (tx) => {
    if (!input.password) {
      const spent = await spendSecondFactor(app, tx, userId, input.code ?? '');
      if (!spent) throw invalid('TWO_FACTOR.WRONG_CODE', 'That code is not right', { field: 'code' });
      method = spent;
    }
    const [row] = await tx
      .delete(userPasskeys)
      .where(and(eq(userPasskeys.id, input.id), eq(userPasskeys.userId, userId)))
      .returning({ id: userPasskeys.id, name: userPasskeys.name });
    if (!row) throw notFound('PASSKEY.NOT_FOUND', 'That passkey is not on your account');
    if ((await tenantRequires(tx, actor)) && !(await hasSecondFactor(tx, userId))) {
      throw forbidden(
        'TWO_FACTOR.REQUIRED_BY_TENANT',
        'Your organisation requires two-factor sign-in for your role: keep one passkey or an authenticator app',
      );
    }
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'auth.passkey.remove',
      entityType: 'user',
      entityId: userId,
      after: { passkeyId: row.id, name: row.name, method },
    });
    return row;
  });
  await forgetKeys(app.db, keys);
  return { id: removed.id };
}

/** A confirmed TOTP enrolment or a passkey. */
export async function hasSecondFactor(db: Executor, userId: string): Promise<boolean> {
  const [totp] = await db
    .select({ userId: userTwoFactor.userId })
    .from(userTwoFactor)
    .where(and(eq(userTwoFactor.userId, userId), isNotNull(userTwoFactor.confirmedAt)));
  return Boolean(totp) || (await hasPasskey(db, userId));
}

/**
 * For the second sign-in step (inside the pending login's tenant and user scope): request
 * options naming this person's passkeys, with a fresh stored challenge; null without passkeys.
 */
export async function passkeySignInOptions(app: AppContext, login: { userId: string; tenantId: string }) {
  const passkeys = await app.db
    .select({ credentialId: userPasskeys.credentialId, transports: userPasskeys.transports })
    .from(userPasskeys)
    .where(eq(userPasskeys.userId, login.userId));
  if (!passkeys.length) return null;
  const rp = relyingParty(app);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    userVerification: 'preferred',
    timeout: WEBAUTHN_CHALLENGE_TTL_MS,
  });
  await storeChallenge(app.db, {
    userId: login.userId,
    tenantId: login.tenantId,
    purpose: 'sign_in',
    challenge: options.challenge,
  });
  return options;
}

/**
 * Checks an assertion for the pending sign-in (inside its scope). The stored challenge is spent
 * first; then the signature, origin, RP ID and counter are checked, and the counter moves
 * forward by a conditional update in the caller's transaction. Null: refused (no reason given).
 */
export async function checkPasskeyAssertion(
  app: AppContext,
  userId: string,
  response: AuthenticationResponseInput,
): Promise<{ passkeyId: string; name: string; counter: number; newCounter: number } | null> {
  const expectedChallenge = await takeChallenge(app.db, userId, 'sign_in');
  if (!expectedChallenge) return null;
  const [passkey] = await app.db
    .select()
    .from(userPasskeys)
    .where(and(eq(userPasskeys.userId, userId), eq(userPasskeys.credentialId, response.id)));
  if (!passkey) return null;
  const rp = relyingParty(app);
  try {
    const verification = await verifyAuthenticationResponse({
      response: { ...response, clientExtensionResults: {} } as AuthenticationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: fromB64(passkey.publicKey),
        counter: passkey.counter,
        transports: transportsOf(passkey.transports),
      },
      requireUserVerification: false,
    });
    if (!verification.verified) return null;
    return {
      passkeyId: passkey.id,
      name: passkey.name,
      counter: passkey.counter,
      newCounter: verification.authenticationInfo.newCounter,
    };
  } catch (e) {
    // A lower counter (a cloned authenticator), a wrong origin or challenge: refused, reason logged.
    app.log.info({ event: 'passkey_assertion_refused', reason: (e as Error).message }, 'passkey refused');
    return null;
  }
}

/** Moves the counter forward only from the value checked: of two racing assertions one wins. */
export async function advancePasskeyCounter(
  db: Executor,
  checked: { passkeyId: string; counter: number; newCounter: number },
): Promise<boolean> {
  const moved = await db
    .update(userPasskeys)
    .set({ counter: checked.newCounter, lastUsedAt: new Date() })
    .where(and(eq(userPasskeys.id, checked.passkeyId), eq(userPasskeys.counter, checked.counter)))
    .returning({ id: userPasskeys.id });
  return moved.length > 0;
}
