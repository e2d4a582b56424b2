// Owners and admins managing the tenant's people from the console: add someone (with a
// one-time set-password link), change a role, deactivate and reactivate. An admin never
// touches owners; the last active owner can be neither demoted nor deactivated.
import { randomBytes } from 'node:crypto';
import { and, count, eq, isNull, ne, sql } from 'drizzle-orm';
import { authSessions, memberships, passwordResets, users, writeAudit, type Executor } from '@kasi/db';
import {
  assignableRoles,
  conflict,
  forbidden,
  memberInviteInput,
  type MemberInviteInput,
  type Role,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { manageableMember } from '../auth/account-sessions.service.ts';
import { hashPassword } from '../auth/password.ts';
import { hashToken, newToken } from '../auth/session-store.ts';

/** A set-password link for someone new lasts longer than a reset: they may open it tomorrow. */
export const INVITE_LINK_TTL_MS = 72 * 3_600_000;

function refuseRole(actor: Actor, role: Role) {
  if (!assignableRoles(actor.role).includes(role))
    throw forbidden('MEMBER.ROLE_NOT_YOURS', `Your role (${actor.role}) may not give the role ${role}`);
}

/** Adds a person; a new account gets a one-time set-password link, an existing one just joins. */
export async function inviteMember(
  app: AppContext,
  actor: Actor,
  input: MemberInviteInput,
  now = new Date(),
) {
  requirePermission(actor, 'user.manage');
  const v = memberInviteInput.parse(input);
  refuseRole(actor, v.role);
  const email = v.email.trim().toLowerCase();
  // Nobody knows this password: the account opens only through the link.
  const unusable = await hashPassword(randomBytes(32).toString('base64url'));
  return app.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, email));
    const userId =
      existing?.id ??
      (await tx.insert(users).values({ email, name: v.name, passwordHash: unusable }).returning())[0]?.id;
    if (!userId) throw new Error('insert returned nothing');
    const added = await tx
      .insert(memberships)
      .values({ tenantId: actor.tenantId, userId, role: v.role })
      .onConflictDoNothing()
      .returning();
    if (!added.length)
      throw conflict('MEMBER.ALREADY_MEMBER', `${email} is already in this organisation`, { field: 'email' });
    let link: { path: string; expiresAt: Date } | null = null;
    if (!existing) {
      const token = newToken();
      const expiresAt = new Date(now.getTime() + INVITE_LINK_TTL_MS);
      await tx.insert(passwordResets).values({
        tokenHash: hashToken(token),
        userId,
        tenantId: actor.tenantId,
        createdBy: actor.label,
        expiresAt,
        createdAt: now,
      });
      link = { path: `/reset/${token}`, expiresAt };
    }
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'member.add',
      entityType: 'user',
      entityId: userId,
      after: {
        email,
        role: v.role,
        newAccount: !existing,
        linkExpiresAt: link?.expiresAt.toISOString() ?? null,
      },
    });
    return { userId, email, role: v.role, link };
  });
}

/** Owners still able to sign in here, other than `except`. */
async function otherActiveOwners(tx: Executor, tenantId: string, except: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.role, 'owner'),
        isNull(memberships.disabledAt),
        ne(memberships.userId, except),
      ),
    );
  return row?.n ?? 0;
}

async function lockOwners(tx: Executor, tenantId: string) {
  // Two owners demoting each other at once must not leave none: serialise on the tenant's owners.
  await tx.execute(
    sql`select 1 from ${memberships} where ${memberships.tenantId} = ${tenantId} and ${memberships.role} = 'owner' for update`,
  );
}

export async function setMemberRole(app: AppContext, actor: Actor, input: { userId: string; role: Role }) {
  requirePermission(actor, 'user.manage');
  refuseRole(actor, input.role);
  return app.db.transaction(async (tx) => {
    await lockOwners(tx, actor.tenantId);
    const member = await manageableMember(tx, actor, input.userId);
    if (member.role === 'agent') throw forbidden('MEMBER.IS_AGENT', 'Agents are managed on the Agents page');
    if (
      member.role === 'owner' &&
      input.role !== 'owner' &&
      !(await otherActiveOwners(tx, actor.tenantId, input.userId))
    )
      throw conflict(
        'MEMBER.LAST_OWNER',
        'Make someone else an owner first: an organisation keeps at least one',
        {
          field: 'role',
        },
      );
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.userId, input.userId)));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'member.role',
      entityType: 'user',
      entityId: input.userId,
      before: { role: member.role },
      after: { role: input.role },
    });
    return { userId: input.userId, role: input.role };
  });
}

/** Deactivated: cannot sign in to this tenant, their sessions here end. Reactivating undoes it. */
export async function setMemberActive(
  app: AppContext,
  actor: Actor,
  input: { userId: string; active: boolean },
) {
  requirePermission(actor, 'user.manage');
  if (input.userId === actor.userId)
    throw forbidden('MEMBER.SELF', 'You cannot deactivate yourself; ask another owner or admin');
  return app.db.transaction(async (tx) => {
    await lockOwners(tx, actor.tenantId);
    const member = await manageableMember(tx, actor, input.userId);
    if (member.role === 'agent') throw forbidden('MEMBER.IS_AGENT', 'Agents are managed on the Agents page');
    if (
      !input.active &&
      member.role === 'owner' &&
      !(await otherActiveOwners(tx, actor.tenantId, input.userId))
    )
      throw conflict('MEMBER.LAST_OWNER', 'This is the last active owner: make someone else an owner first');
    await tx
      .update(memberships)
      .set({ disabledAt: input.active ? null : new Date() })
      .where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.userId, input.userId)));
    const ended = input.active
      ? []
      : await tx
          .delete(authSessions)
          .where(and(eq(authSessions.userId, input.userId), eq(authSessions.tenantId, actor.tenantId)))
          .returning({ id: authSessions.id });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: input.active ? 'member.reactivate' : 'member.deactivate',
      entityType: 'user',
      entityId: input.userId,
      after: { email: member.email, sessionsEnded: ended.length },
    });
    return { userId: input.userId, active: input.active };
  });
}
