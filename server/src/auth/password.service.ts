// Changing a password (the person, with their current one) and resetting it (an owner or
// admin issues a single-use link valid 30 minutes; the token is stored only as a digest).
// Either way the person's other sessions end: whoever knew the old password is signed out.
import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import {
  authSessions,
  loginChallenges,
  passwordResets,
  users,
  withTenant,
  withTenantLookup,
  writeAudit,
  type Executor,
} from '@kasi/db';
import { forbidden, invalid, notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { ownAccountOfMember } from './account-sessions.service.ts';
import { accountCheckKeys, claimLoginAttempt, forgetKeys } from './login-throttle.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.ts';
import { hashToken, newToken } from './session-store.ts';

export const RESET_LINK_TTL_MS = 30 * 60_000;

function assertStrong(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid('USER.WEAK_PASSWORD', `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

/** Ends the user's sessions (all, or all but one) and any half-finished sign-in. */
async function endSessions(tx: Executor, userId: string, keep: string | null): Promise<number> {
  await tx.delete(loginChallenges).where(eq(loginChallenges.userId, userId));
  const gone = await tx
    .delete(authSessions)
    .where(and(eq(authSessions.userId, userId), keep ? ne(authSessions.id, keep) : undefined))
    .returning({ id: authSessions.id });
  return gone.length;
}

export async function changePassword(
  app: AppContext,
  actor: Actor,
  input: { currentSessionId: string; currentPassword: string; newPassword: string },
) {
  const userId = actor.userId;
  if (!userId) throw forbidden('AUTH.NOT_A_USER', 'Only a signed-in person has a password');
  assertStrong(input.newPassword);
  // Counted before the hash: a borrowed session cannot search for the password.
  const keys = accountCheckKeys(userId, 'password');
  await claimLoginAttempt(app.db, keys);
  const [user] = await app.db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw invalid('AUTH.WRONG_PASSWORD', 'Your current password is not right', { field: 'currentPassword' });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const revoked = await app.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    const n = await endSessions(tx, userId, input.currentSessionId);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'auth.password.change',
      entityType: 'user',
      entityId: userId,
      after: { otherSessionsRevoked: n },
    });
    return n;
  });
  await forgetKeys(app.db, keys);
  return { otherSessionsRevoked: revoked };
}

/** A reset link for a member of the actor's tenant whose account is this tenant's alone. */
export async function issuePasswordReset(
  app: AppContext,
  actor: Actor,
  input: { userId: string },
  now = new Date(),
) {
  return app.db.transaction(async (tx) => {
    const member = await ownAccountOfMember(tx, actor, input.userId);
    const token = newToken();
    const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS);
    await tx.insert(passwordResets).values({
      tokenHash: hashToken(token),
      userId: input.userId,
      tenantId: actor.tenantId,
      createdBy: actor.label,
      expiresAt,
      createdAt: now,
    });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'member.password_reset.issue',
      entityType: 'user',
      entityId: input.userId,
      after: { email: member.email, expiresAt: expiresAt.toISOString() },
    });
    return { email: member.email, path: `/reset/${token}`, expiresAt };
  });
}

/** Sets a new password through a reset link; spends the link and ends every session of the user. */
export async function resetPassword(
  app: AppContext,
  input: { token: string; newPassword: string },
  now = new Date(),
) {
  // Checked before the link is spent, so a short password does not waste it.
  assertStrong(input.newPassword);
  const passwordHash = await hashPassword(input.newPassword);
  // The link names the tenant and the user (pre-tenant lookup, ADR 0019); spent under them.
  const [link] = await withTenantLookup(() =>
    app.db
      .select({ tenantId: passwordResets.tenantId, userId: passwordResets.userId })
      .from(passwordResets)
      .where(eq(passwordResets.tokenHash, hashToken(input.token))),
  );
  const scope = link ?? { tenantId: '', userId: '' };
  return withTenant(
    scope.tenantId,
    () =>
      app.db.transaction(async (tx) => {
        const [reset] = await tx
          .update(passwordResets)
          .set({ usedAt: now })
          .where(
            and(
              eq(passwordResets.tokenHash, hashToken(input.token)),
              isNull(passwordResets.usedAt),
              gt(passwordResets.expiresAt, now),
            ),
          )
          .returning();
        if (!reset) {
          throw notFound(
            'AUTH.RESET_LINK_INVALID',
            'This link has expired or was already used. Ask for a new one.',
          );
        }
        const [user] = await tx
          .update(users)
          .set({ passwordHash })
          .where(eq(users.id, reset.userId))
          .returning({ email: users.email });
        const revoked = await endSessions(tx, reset.userId, null);
        await writeAudit(tx, {
          tenantId: reset.tenantId,
          actorUserId: reset.userId,
          actor: user?.email ?? 'reset link',
          action: 'auth.password.reset',
          entityType: 'user',
          entityId: reset.userId,
          after: { sessionsRevoked: revoked },
        });
        return { email: user?.email ?? '' };
      }),
    { userId: scope.userId || null },
  );
}
