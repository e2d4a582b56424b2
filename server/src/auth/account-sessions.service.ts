// A person's sign-in sessions: listed (device, address, when) and revoked — their own, or,
// for owners and admins, another member's sessions in the same tenant.
import { and, desc, eq, gt, ne } from 'drizzle-orm';
import { authSessions, lookupAcrossTenants, memberships, users, writeAudit, type Executor } from '@kasi/db';
import { forbidden, notFound, type Role } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';

export interface SessionListItem {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

const live = () => gt(authSessions.expiresAt, new Date());

async function listFor(db: Executor, where: ReturnType<typeof and>, currentId: string | null) {
  const rows = await db
    .select({
      id: authSessions.id,
      userAgent: authSessions.userAgent,
      ip: authSessions.ip,
      createdAt: authSessions.createdAt,
      lastSeenAt: authSessions.lastSeenAt,
    })
    .from(authSessions)
    .where(and(where, live()))
    .orderBy(desc(authSessions.lastSeenAt));
  return rows.map((r): SessionListItem => ({ ...r, current: r.id === currentId }));
}

function signedIn(actor: Actor): string {
  if (!actor.userId) throw forbidden('AUTH.NOT_A_USER', 'Only a signed-in person has sessions');
  return actor.userId;
}

/** The caller's own sessions, in every tenant they belong to. */
export function listOwnSessions(app: AppContext, actor: Actor, currentId: string) {
  return listFor(app.db, and(eq(authSessions.userId, signedIn(actor))), currentId);
}

/** Revokes one of the caller's sessions (`id`), or every one but the current (`othersThan`). */
export async function revokeOwnSessions(
  app: AppContext,
  actor: Actor,
  target: { id: string } | { othersThan: string },
) {
  const userId = signedIn(actor);
  const which = 'id' in target ? eq(authSessions.id, target.id) : ne(authSessions.id, target.othersThan);
  return app.db.transaction(async (tx) => {
    const gone = await tx
      .delete(authSessions)
      .where(and(eq(authSessions.userId, userId), which))
      .returning({ id: authSessions.id });
    if ('id' in target && !gone.length) throw notFound('SESSION.NOT_FOUND', 'No such session');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'auth.sessions.revoke',
      entityType: 'user',
      entityId: userId,
      after: { revoked: gone.length, scope: 'id' in target ? 'one' : 'others' },
    });
    return { revoked: gone.length };
  });
}

/**
 * Another member of the actor's tenant, who the actor may manage: an admin may not manage an
 * owner. Members of other tenants are not found, exactly as made-up ids.
 */
export async function manageableMember(db: Executor, actor: Actor, userId: string) {
  requirePermission(actor, 'user.manage');
  const [m] = await db
    .select({ role: memberships.role, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.userId, userId)));
  if (!m) throw notFound('MEMBER.NOT_FOUND', 'No such member');
  if (outranks(m.role, actor.role)) {
    throw forbidden('MEMBER.OUTRANKS_YOU', 'Only an owner can do this for an owner');
  }
  return m;
}

/**
 * A member whose account may be taken over from here (a password reset, two-factor removed).
 * Users are global, so a member who also belongs to another tenant is refused: this tenant's
 * admin must not gain their account there.
 */
export async function ownAccountOfMember(db: Executor, actor: Actor, userId: string) {
  const member = await manageableMember(db, actor, userId);
  // Memberships in other tenants are behind row-level security: looked up on purpose (ADR 0019).
  const elsewhere = await lookupAcrossTenants(db, (d) =>
    d
      .select({ tenantId: memberships.tenantId })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), ne(memberships.tenantId, actor.tenantId)))
      .limit(1),
  );
  if (elsewhere.length) {
    throw forbidden(
      'MEMBER.IN_OTHER_TENANTS',
      'This person also belongs to another organisation; they must recover their account there',
    );
  }
  return member;
}

const outranks = (target: Role, actor: Role) => target === 'owner' && actor !== 'owner';

/** The tenant's people (not agents, who have their own pages), for owners and admins. */
export async function listMembers(app: AppContext, actor: Actor) {
  requirePermission(actor, 'user.manage');
  return app.db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      disabledAt: memberships.disabledAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, actor.tenantId), ne(memberships.role, 'agent')))
    .orderBy(users.email);
}

/** A member's sessions in this tenant (their sessions elsewhere are not this tenant's business). */
export async function listMemberSessions(app: AppContext, actor: Actor, input: { userId: string }) {
  await manageableMember(app.db, actor, input.userId);
  return listFor(
    app.db,
    and(eq(authSessions.userId, input.userId), eq(authSessions.tenantId, actor.tenantId)),
    null,
  );
}

/** Revokes one session of a member (`id`) or all of their sessions in this tenant. */
export async function revokeMemberSessions(
  app: AppContext,
  actor: Actor,
  input: { userId: string; id?: string | undefined },
) {
  return app.db.transaction(async (tx) => {
    await manageableMember(tx, actor, input.userId);
    const gone = await tx
      .delete(authSessions)
      .where(
        and(
          eq(authSessions.userId, input.userId),
          eq(authSessions.tenantId, actor.tenantId),
          input.id ? eq(authSessions.id, input.id) : undefined,
        ),
      )
      .returning({ id: authSessions.id });
    if (input.id && !gone.length) throw notFound('SESSION.NOT_FOUND', 'No such session');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'member.sessions.revoke',
      entityType: 'user',
      entityId: input.userId,
      after: { revoked: gone.length },
    });
    return { revoked: gone.length };
  });
}
