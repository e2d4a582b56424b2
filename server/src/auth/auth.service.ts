// Operator sign-in. The password step either opens a session or, for a user with two-factor,
// opens a short-lived login challenge that only a TOTP or recovery code turns into a session.
// Sessions and challenges are rows keyed by the SHA-256 of a random token (session-store.ts).
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import {
  loginChallenges,
  memberships,
  tenants,
  users,
  withTenant,
  writeAudit,
  type TenantSettings,
} from '@kasi/db';
import type { DomainError } from '@kasi/domain';
import { unauthenticated, type Role } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { dummyHash, verifyPassword } from './password.ts';
import {
  accountCheckKeys,
  claimLoginAttempt,
  forgetKeys,
  loginKeys,
  recordLoginSuccess,
} from './login-throttle.ts';
import { findTwoFactor, spendSecondFactor } from './second-factor.ts';
import type { AuthenticationResponseInput } from './passkey-inputs.ts';
import {
  advancePasskeyCounter,
  checkPasskeyAssertion,
  hasPasskey,
  passkeySignInOptions,
} from './passkey.service.ts';
import {
  findMember,
  hashToken,
  newToken,
  openSession,
  type ClientInfo,
  type SessionInfo,
} from './session-store.ts';

export { findSession, hashToken, logout, type SessionInfo } from './session-store.ts';

export interface LoginInput extends ClientInfo {
  email: string;
  password: string;
}

export type PasswordStep =
  | { kind: 'session'; token: string; session: SessionInfo }
  | { kind: 'second_factor'; challenge: string; expiresAt: Date };

/** A pending second step lasts long enough to open an authenticator app, not longer. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

export const SECOND_FACTOR_REQUIRED = 'AUTH.SECOND_FACTOR_REQUIRED';

/** Owners and admins of a tenant that requires it must have a second factor. */
export function twoFactorRequired(settings: TenantSettings, role: Role): boolean {
  return settings.requireTwoFactorForAdmins === true && (role === 'owner' || role === 'admin');
}

export async function passwordStep(app: AppContext, input: LoginInput): Promise<PasswordStep> {
  const email = input.email.trim().toLowerCase();
  const keys = loginKeys(email, input.ip);
  // Counted before the (slow) hash: a refused attempt never reaches verifyPassword.
  await claimLoginAttempt(app.db, keys.all);
  const [row] = await app.db
    .select({ user: users, membership: memberships, tenant: tenants })
    .from(users)
    // A membership deactivated in one tenant does not sign in there (another tenant may).
    .innerJoin(memberships, and(eq(memberships.userId, users.id), isNull(memberships.disabledAt)))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(sql`lower(${users.email})`, email))
    .orderBy(memberships.createdAt)
    .limit(1);
  const ok = await verifyPassword(row?.user.passwordHash ?? (await dummyHash()), input.password);
  if (!row || !ok || row.user.disabledAt) {
    app.log.info({ event: 'login_failed', ip: input.ip }, 'login failed');
    throw unauthenticated('AUTH.INVALID_CREDENTIALS', 'Wrong email or password');
  }
  await recordLoginSuccess(app.db, keys);
  // The account is known: from here on, its tenant's rows (ADR 0019).
  return withTenant(row.tenant.id, () => afterPassword(app, input, row), { userId: row.user.id });
}

async function afterPassword(
  app: AppContext,
  input: LoginInput,
  row: NonNullable<Parameters<typeof openSession>[2]>,
): Promise<PasswordStep> {
  if ((await findTwoFactor(app.db, row.user.id)) || (await hasPasskey(app.db, row.user.id))) {
    const challenge = newToken();
    const expiresAt = new Date(Date.now() + CHALLENGE_TTL_MS);
    await app.db.insert(loginChallenges).values({
      tokenHash: hashToken(challenge),
      userId: row.user.id,
      tenantId: row.tenant.id,
      expiresAt,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      ip: input.ip,
    });
    return { kind: 'second_factor', challenge, expiresAt };
  }
  const mustEnrolTwoFactor = twoFactorRequired(row.tenant.settings, row.membership.role);
  const opened = await app.db.transaction((tx) =>
    openSession(app, tx, row, input, { mustEnrolTwoFactor, method: 'password' }),
  );
  return { kind: 'session', ...opened };
}

/** Password-only sign-in for tools and tests; a user with two-factor is refused. */
export async function login(
  app: AppContext,
  input: LoginInput,
): Promise<{ token: string; session: SessionInfo }> {
  const step = await passwordStep(app, input);
  if (step.kind !== 'session') throw secondFactorRequired();
  return step;
}

export function secondFactorRequired(): DomainError {
  return unauthenticated(SECOND_FACTOR_REQUIRED, 'Enter the code from your authenticator app');
}

const challengeGone = () =>
  unauthenticated('AUTH.LOGIN_EXPIRED', 'This sign-in has expired. Enter your password again.');

/** The live pending sign-in of a challenge cookie token. */
async function pendingLogin(app: AppContext, challengeToken: string) {
  const [challenge] = await app.db
    .select()
    .from(loginChallenges)
    .where(
      and(
        eq(loginChallenges.tokenHash, hashToken(challengeToken)),
        gt(loginChallenges.expiresAt, new Date()),
      ),
    );
  if (!challenge) throw challengeGone();
  return challenge;
}

/**
 * What the pending sign-in may use: a TOTP code (and recovery codes) when enrolled, and request
 * options for this person's passkeys (with a fresh challenge) when they have any. Only a correct
 * password opens a pending sign-in, so this tells nothing to someone without it.
 */
export async function secondFactorOptions(app: AppContext, input: { challenge: string }) {
  const challenge = await pendingLogin(app, input.challenge);
  return withTenant(
    challenge.tenantId,
    async () => ({
      totp: Boolean(await findTwoFactor(app.db, challenge.userId)),
      passkey: await passkeySignInOptions(app, challenge),
    }),
    { userId: challenge.userId },
  );
}

/**
 * The second step with a passkey: throttled per account like a code, the assertion checked
 * against the stored challenge, and the counter, the challenge and the new session spent together.
 */
export async function passkeyStep(
  app: AppContext,
  input: ClientInfo & { challenge: string; response: AuthenticationResponseInput },
): Promise<{ token: string; session: SessionInfo }> {
  const challenge = await pendingLogin(app, input.challenge);
  const keys = accountCheckKeys(challenge.userId, 'second-factor');
  await claimLoginAttempt(app.db, keys);
  const opened = await withTenant(
    challenge.tenantId,
    async () => {
      const checked = await checkPasskeyAssertion(app, challenge.userId, input.response);
      if (!checked) return null;
      return app.db.transaction(async (tx) => {
        if (!(await advancePasskeyCounter(tx, checked))) return null;
        const [taken] = await tx
          .delete(loginChallenges)
          .where(eq(loginChallenges.tokenHash, challenge.tokenHash))
          .returning({ userId: loginChallenges.userId });
        const row = await findMember(tx, challenge.userId, challenge.tenantId);
        if (!taken || !row || row.user.disabledAt || row.membership.disabledAt) throw challengeGone();
        await writeAudit(tx, {
          tenantId: row.tenant.id,
          actorUserId: row.user.id,
          actor: row.user.email,
          action: 'auth.passkey.use',
          entityType: 'user',
          entityId: row.user.id,
          after: { passkeyId: checked.passkeyId, name: checked.name, counter: checked.newCounter },
        });
        return openSession(app, tx, row, input, { mustEnrolTwoFactor: false, method: 'passkey' });
      });
    },
    { userId: challenge.userId },
  );
  if (!opened) {
    app.log.info({ event: 'second_factor_failed', ip: input.ip }, 'second factor failed');
    throw unauthenticated('AUTH.PASSKEY_REFUSED', 'That passkey was not accepted. Try again, or use a code.');
  }
  await forgetKeys(app.db, keys);
  return opened;
}

/**
 * The second step: a TOTP code or a recovery code for a live challenge. Counted per account
 * before the code is checked; the code, the challenge and the new session are spent together.
 */
export async function secondStep(
  app: AppContext,
  input: ClientInfo & { challenge: string; code: string },
): Promise<{ token: string; session: SessionInfo }> {
  const tokenHash = hashToken(input.challenge);
  const [challenge] = await app.db
    .select()
    .from(loginChallenges)
    .where(and(eq(loginChallenges.tokenHash, tokenHash), gt(loginChallenges.expiresAt, new Date())));
  if (!challenge) throw challengeGone();
  const keys = accountCheckKeys(challenge.userId, 'second-factor');
  await claimLoginAttempt(app.db, keys);
  const opened = await withTenant(
    challenge.tenantId,
    () =>
      app.db.transaction(async (tx) => {
        const method = await spendSecondFactor(app, tx, challenge.userId, input.code);
        if (!method) return null;
        const [taken] = await tx
          .delete(loginChallenges)
          .where(eq(loginChallenges.tokenHash, tokenHash))
          .returning({ userId: loginChallenges.userId });
        const row = await findMember(tx, challenge.userId, challenge.tenantId);
        if (!taken || !row || row.user.disabledAt || row.membership.disabledAt) throw challengeGone();
        return openSession(app, tx, row, input, { mustEnrolTwoFactor: false, method });
      }),
    { userId: challenge.userId },
  );
  if (!opened) {
    app.log.info({ event: 'second_factor_failed', ip: input.ip }, 'second factor failed');
    throw unauthenticated('AUTH.WRONG_CODE', 'That code is not right. Try the newest code.');
  }
  await forgetKeys(app.db, keys);
  return opened;
}
