// Enrolling and removing a TOTP second factor for the signed-in user. The secret is sealed
// under the tenant data key of the session it was enrolled from (ADR 0014); neither it nor
// any code is ever logged or audited. Recovery codes are shown once and stored as digests.
import { and, eq, isNull, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import {
  authSessions,
  tenants,
  userPasskeys,
  userRecoveryCodes,
  users,
  userTwoFactor,
  writeAudit,
  type Executor,
} from '@kasi/db';
import { conflict, forbidden, invalid, unauthenticated } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { ownAccountOfMember } from './account-sessions.service.ts';
import { twoFactorRequired } from './auth.service.ts';
import { accountCheckKeys, claimLoginAttempt, forgetKeys } from './login-throttle.ts';
import { verifyPassword } from './password.ts';
import { hasPasskey } from './passkey.service.ts';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';
import { readTotpSecret, spendSecondFactor, totpPurpose } from './second-factor.ts';
import { matchTotp, newTotpSecret, totpUri } from './totp.ts';

/** An actor who is a signed-in person (not the CLI). */
function userOf(actor: Actor): string {
  if (!actor.userId) throw forbidden('AUTH.NOT_A_USER', 'Only a signed-in person has a second factor');
  return actor.userId;
}

async function tenantSettings(db: Executor, actor: Actor) {
  const [t] = await db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, actor.tenantId));
  return t?.settings ?? {};
}

async function requiredFor(db: Executor, actor: Actor): Promise<boolean> {
  return twoFactorRequired(await tenantSettings(db, actor), actor.role);
}

export async function twoFactorStatus(app: AppContext, actor: Actor) {
  const userId = userOf(actor);
  const [row] = await app.db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, userId));
  const [left] = await app.db
    .select({ n: sql<number>`count(*)::int` })
    .from(userRecoveryCodes)
    .where(and(eq(userRecoveryCodes.userId, userId), isNull(userRecoveryCodes.usedAt)));
  const settings = await tenantSettings(app.db, actor);
  return {
    enabled: Boolean(row?.confirmedAt),
    recoveryCodesLeft: row?.confirmedAt ? (left?.n ?? 0) : 0,
    /** For this person's role. */
    requiredByTenant: twoFactorRequired(settings, actor.role),
    /** The tenant's setting itself (owners change it). */
    tenantRequiresForAdmins: settings.requireTwoFactorForAdmins === true,
  };
}

/** A new secret (replacing an unconfirmed one): the URI, a QR of it as SVG, and the key to type. */
export async function startTwoFactor(app: AppContext, actor: Actor) {
  const userId = userOf(actor);
  // The agent app signs in with a password on an enrolled phone; it has no second step.
  if (actor.role === 'agent') {
    throw invalid(
      'TWO_FACTOR.NOT_FOR_AGENTS',
      'Agents sign in with their enrolled phone, not an authenticator app',
    );
  }
  return app.db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(userTwoFactor)
      .where(eq(userTwoFactor.userId, userId))
      .for('update');
    if (existing?.confirmedAt) throw conflict('TWO_FACTOR.ALREADY_ON', 'Two-factor sign-in is already on');
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (!user) throw unauthenticated('AUTH.NO_SESSION', 'Please log in');
    const secret = newTotpSecret();
    const secretSealed = await app.keyring.encrypt(tx, actor.tenantId, totpPurpose(userId), secret);
    const values = { tenantId: actor.tenantId, secretSealed, confirmedAt: null, lastTimeStep: null };
    await tx
      .insert(userTwoFactor)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: userTwoFactor.userId, set: values });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'auth.two_factor.start',
      entityType: 'user',
      entityId: userId,
    });
    const uri = totpUri(secret, user.email);
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return { uri, qrSvg, secret };
  });
}

/** The first code proves the app has the secret; the recovery codes come back once. */
export async function confirmTwoFactor(app: AppContext, actor: Actor, input: { code: string }) {
  const userId = userOf(actor);
  return app.db.transaction(async (tx) => {
    const [row] = await tx.select().from(userTwoFactor).where(eq(userTwoFactor.userId, userId)).for('update');
    if (!row || row.confirmedAt) {
      throw invalid('TWO_FACTOR.NOT_STARTED', 'Start setting up two-factor sign-in first');
    }
    const step = await matchTotp({
      secret: await readTotpSecret(app, tx, row),
      code: input.code,
      lastTimeStep: null,
    });
    if (step === null) {
      throw invalid(
        'TWO_FACTOR.WRONG_CODE',
        'That code is not right. Check the time on your phone and try the newest code.',
        {
          field: 'code',
        },
      );
    }
    await tx
      .update(userTwoFactor)
      .set({ confirmedAt: new Date(), lastTimeStep: step })
      .where(eq(userTwoFactor.userId, userId));
    const recoveryCodes = newRecoveryCodes();
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
    await tx
      .insert(userRecoveryCodes)
      .values(recoveryCodes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })));
    // Sessions held at the enrolment gate are free to go on.
    await tx
      .update(authSessions)
      .set({ mustEnrolTwoFactor: false })
      .where(and(eq(authSessions.userId, userId), eq(authSessions.mustEnrolTwoFactor, true)));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'auth.two_factor.enable',
      entityType: 'user',
      entityId: userId,
      after: { recoveryCodes: recoveryCodes.length },
    });
    return { recoveryCodes };
  });
}

/** Needs the password and a current code (or a recovery code); refused where the tenant requires it. */
export async function disableTwoFactor(
  app: AppContext,
  actor: Actor,
  input: { password: string; code: string },
) {
  const userId = userOf(actor);
  // A passkey meets the requirement too (ADR 0014, "Passkeys"): then the app may go.
  if ((await requiredFor(app.db, actor)) && !(await hasPasskey(app.db, userId))) {
    throw forbidden(
      'TWO_FACTOR.REQUIRED_BY_TENANT',
      'Your organisation requires two-factor sign-in for your role',
    );
  }
  // Counted before the password hash and the code: a stolen session cannot search either.
  const keys = accountCheckKeys(userId, 'second-factor');
  await claimLoginAttempt(app.db, keys);
  const [user] = await app.db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.password))) {
    throw invalid('AUTH.WRONG_PASSWORD', 'That password is not right', { field: 'password' });
  }
  await app.db.transaction(async (tx) => {
    const method = await spendSecondFactor(app, tx, userId, input.code);
    if (!method) throw invalid('TWO_FACTOR.WRONG_CODE', 'That code is not right', { field: 'code' });
    await tx.delete(userTwoFactor).where(eq(userTwoFactor.userId, userId));
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'auth.two_factor.disable',
      entityType: 'user',
      entityId: userId,
      after: { method },
    });
  });
  await forgetKeys(app.db, keys);
  return { enabled: false };
}

/**
 * For a member who lost both their phone and their recovery codes: an owner or admin (or the
 * server's operator) removes the enrolment; the member signs in with the password and enrols again.
 */
export async function removeMemberTwoFactor(app: AppContext, actor: Actor, input: { userId: string }) {
  return app.db.transaction(async (tx) => {
    const member = await ownAccountOfMember(tx, actor, input.userId);
    const removed = await tx
      .delete(userTwoFactor)
      .where(eq(userTwoFactor.userId, input.userId))
      .returning({ userId: userTwoFactor.userId });
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, input.userId));
    const passkeys = await tx
      .delete(userPasskeys)
      .where(eq(userPasskeys.userId, input.userId))
      .returning({ id: userPasskeys.id });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'member.two_factor.remove',
      entityType: 'user',
      entityId: input.userId,
      after: { email: member.email, hadTwoFactor: removed.length > 0, passkeysRemoved: passkeys.length },
    });
    return { email: member.email, removed: removed.length > 0 || passkeys.length > 0 };
  });
}
