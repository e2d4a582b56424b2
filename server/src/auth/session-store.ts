// Operator sessions as rows: opened after the last sign-in step, found by the cookie token's
// SHA-256, and shaped into the SessionInfo every transport sees.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import {
  authSessions,
  memberships,
  tenants,
  users,
  withTenant,
  withTenantLookup,
  writeAudit,
  type Executor,
} from '@kasi/db';
import type { Role } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';

export interface SessionInfo {
  userId: string;
  email: string;
  name: string;
  tenantId: string;
  tenantName: string;
  /** BCP 47 tag and IANA zone the web app formats dates, numbers and money with. */
  tenantLocale: string;
  tenantTimeZone: string;
  /** The console language this person chose (en, sw, fr); null: the tenant's (ADR 0030). */
  userLocale: string | null;
  currency: string;
  role: Role;
  /** Names this session in lists (never the token). */
  sessionId: string;
  /** The tenant requires two-factor and this user has none: only enrolment is open. */
  mustEnrolTwoFactor: boolean;
}

export interface MemberRow {
  user: typeof users.$inferSelect;
  membership: typeof memberships.$inferSelect;
  tenant: typeof tenants.$inferSelect;
}

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

/** Last-seen is a hint, not an audit: written at most once a minute per session. */
const LAST_SEEN_EVERY = sql`interval '1 minute'`;

export function toSessionInfo(
  row: MemberRow,
  session: { id: string; mustEnrolTwoFactor: boolean },
): SessionInfo {
  return {
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    tenantId: row.tenant.id,
    tenantName: row.tenant.name,
    tenantLocale: row.tenant.locale,
    tenantTimeZone: row.tenant.timezone,
    userLocale: row.user.locale,
    currency: row.tenant.currency,
    role: row.membership.role,
    sessionId: session.id,
    mustEnrolTwoFactor: session.mustEnrolTwoFactor,
  };
}

/** The user's membership of one tenant, with the tenant. */
export async function findMember(db: Executor, userId: string, tenantId: string): Promise<MemberRow | null> {
  const [row] = await db
    .select({ user: users, membership: memberships, tenant: tenants })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(users.id, userId), eq(memberships.tenantId, tenantId)))
    .limit(1);
  return row ?? null;
}

/** Inserts the session and its audit row in the caller's transaction. */
export async function openSession(
  app: AppContext,
  tx: Executor,
  row: MemberRow,
  client: ClientInfo,
  opts: { mustEnrolTwoFactor: boolean; method: 'password' | 'totp' | 'recovery_code' | 'passkey' },
): Promise<{ token: string; session: SessionInfo }> {
  const token = newToken();
  const [stored] = await tx
    .insert(authSessions)
    .values({
      tokenHash: hashToken(token),
      userId: row.user.id,
      tenantId: row.tenant.id,
      expiresAt: new Date(Date.now() + app.sessionTtlMs),
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      ip: client.ip,
      mustEnrolTwoFactor: opts.mustEnrolTwoFactor,
    })
    .returning({ id: authSessions.id, mustEnrolTwoFactor: authSessions.mustEnrolTwoFactor });
  if (!stored) throw new Error('insert returned nothing');
  await writeAudit(tx, {
    tenantId: row.tenant.id,
    actorUserId: row.user.id,
    actor: row.user.email,
    action: 'auth.login',
    entityType: 'user',
    entityId: row.user.id,
    after: { ip: client.ip, method: opts.method, mustEnrolTwoFactor: opts.mustEnrolTwoFactor },
  });
  return { token, session: toSessionInfo(row, stored) };
}

/**
 * The live session for a cookie token. A session bound to two-factor enrolment is returned
 * only to callers that enforce the enrolment gate (the tRPC context); every other reader
 * (the print route…) sees no session, so the gate cannot be forgotten there.
 */
export async function findSession(
  app: AppContext,
  token: string,
  opts: { enrolmentGated?: boolean } = {},
): Promise<SessionInfo | null> {
  // The cookie names the tenant: found through the pre-tenant lookup policies (ADR 0019).
  const [row] = await withTenantLookup(() =>
    app.db
      .select({ user: users, membership: memberships, tenant: tenants, session: authSessions })
      .from(authSessions)
      .innerJoin(users, eq(users.id, authSessions.userId))
      .innerJoin(
        memberships,
        and(eq(memberships.userId, users.id), eq(memberships.tenantId, authSessions.tenantId)),
      )
      .innerJoin(tenants, eq(tenants.id, authSessions.tenantId))
      .where(and(eq(authSessions.tokenHash, hashToken(token)), gt(authSessions.expiresAt, new Date())))
      .limit(1),
  );
  if (!row || row.user.disabledAt || row.membership.disabledAt) return null;
  if (row.session.mustEnrolTwoFactor && !opts.enrolmentGated) return null;
  await withTenant(row.tenant.id, () =>
    app.db
      .update(authSessions)
      .set({ lastSeenAt: sql`now()` })
      .where(
        and(
          eq(authSessions.tokenHash, row.session.tokenHash),
          lt(authSessions.lastSeenAt, sql`now() - ${LAST_SEEN_EVERY}`),
        ),
      ),
  );
  return toSessionInfo(row, row.session);
}

export async function logout(app: AppContext, token: string): Promise<void> {
  await app.db.delete(authSessions).where(eq(authSessions.tokenHash, hashToken(token)));
}
