// Operator login, session lookup and logout. The cookie carries a random token; the
// database keeps only its SHA-256, so a database leak does not leak live sessions.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { authSessions, memberships, tenants, users, writeAudit } from '@kasi/db';
import { unauthenticated, type Role } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { dummyHash, verifyPassword } from './password.ts';
import { claimLoginAttempt, loginKeys, recordLoginSuccess } from './login-throttle.ts';

export interface SessionInfo {
  userId: string;
  email: string;
  name: string;
  tenantId: string;
  tenantName: string;
  currency: string;
  role: Role;
}

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function login(
  app: AppContext,
  input: LoginInput,
): Promise<{ token: string; session: SessionInfo }> {
  const email = input.email.trim().toLowerCase();
  const keys = loginKeys(email, input.ip);
  // Counted before the (slow) hash: a refused attempt never reaches verifyPassword.
  await claimLoginAttempt(app.db, keys.all);
  const [row] = await app.db
    .select({ user: users, membership: memberships, tenant: tenants })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
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
  const token = randomBytes(32).toString('base64url');
  await app.db.transaction(async (tx) => {
    await tx.insert(authSessions).values({
      tokenHash: hashToken(token),
      userId: row.user.id,
      tenantId: row.tenant.id,
      expiresAt: new Date(Date.now() + app.sessionTtlMs),
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      ip: input.ip,
    });
    await writeAudit(tx, {
      tenantId: row.tenant.id,
      actorUserId: row.user.id,
      actor: row.user.email,
      action: 'auth.login',
      entityType: 'user',
      entityId: row.user.id,
      after: { ip: input.ip },
    });
  });
  return { token, session: toSessionInfo(row) };
}

function toSessionInfo(row: {
  user: typeof users.$inferSelect;
  membership: typeof memberships.$inferSelect;
  tenant: typeof tenants.$inferSelect;
}): SessionInfo {
  return {
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    tenantId: row.tenant.id,
    tenantName: row.tenant.name,
    currency: row.tenant.currency,
    role: row.membership.role,
  };
}

export async function findSession(app: AppContext, token: string): Promise<SessionInfo | null> {
  const [row] = await app.db
    .select({ user: users, membership: memberships, tenant: tenants })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.tenantId, authSessions.tenantId)),
    )
    .innerJoin(tenants, eq(tenants.id, authSessions.tenantId))
    .where(and(eq(authSessions.tokenHash, hashToken(token)), gt(authSessions.expiresAt, new Date())))
    .limit(1);
  if (!row || row.user.disabledAt) return null;
  return toSessionInfo(row);
}

export async function logout(app: AppContext, token: string): Promise<void> {
  await app.db.delete(authSessions).where(eq(authSessions.tokenHash, hashToken(token)));
}
