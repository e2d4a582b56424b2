// Agents: people who sell vouchers in the field. An agent is a user with the 'agent' role
// plus an agents row holding the credit limit, currency and commission rate.
import { and, asc, eq, sql } from 'drizzle-orm';
import { agentDevices, agents, tenants, users, writeAudit, type Executor } from '@kasi/db';
import {
  agentInput,
  agentUpdateInput,
  conflict,
  forbidden,
  notFound,
  type AgentInput,
  type AgentUpdateInput,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { addMember } from '../tenants/tenant.service.ts';

export type AgentRow = typeof agents.$inferSelect;

/** The agents row of the person acting: only agents may sell, see their stock and their cash. */
export async function requireOwnAgent(db: Executor, actor: Actor): Promise<AgentRow> {
  const [row] = actor.userId
    ? await db
        .select()
        .from(agents)
        .where(and(eq(agents.tenantId, actor.tenantId), eq(agents.userId, actor.userId)))
    : [];
  if (!row) throw forbidden('AGENT.NOT_AN_AGENT', 'Only agents can do this');
  return row;
}

/** An agent of the actor's tenant, optionally locked for the rest of the transaction. */
export async function findAgent(db: Executor, actor: Actor, id: string, lock = false): Promise<AgentRow> {
  const q = db
    .select()
    .from(agents)
    .where(and(eq(agents.tenantId, actor.tenantId), eq(agents.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('AGENT.NOT_FOUND', 'No such agent');
  return row;
}

export async function createAgent(app: AppContext, actor: Actor, input: AgentInput) {
  requirePermission(actor, 'agent.manage');
  const values = agentInput.parse(input);
  return app.db.transaction(async (tx) => {
    const [tenant] = await tx
      .select({ currency: tenants.currency })
      .from(tenants)
      .where(eq(tenants.id, actor.tenantId));
    if (!tenant) throw notFound('TENANT.NOT_FOUND', 'No such tenant');
    const user = await addMember(
      tx,
      {
        tenantId: actor.tenantId,
        email: values.email,
        name: values.name,
        password: values.password,
        role: 'agent',
      },
      actor.label,
    );
    const [row] = await tx
      .insert(agents)
      .values({
        tenantId: actor.tenantId,
        userId: user.id,
        creditLimitMinor: values.creditLimitMinor,
        currency: tenant.currency,
        commissionBps: values.commissionBps,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('AGENT.EXISTS', `${values.email} is already an agent`);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'agent.create',
      entityType: 'agent',
      entityId: row.id,
      after: row,
    });
    return { ...row, email: user.email, name: values.name };
  });
}

export async function listAgents(app: AppContext, actor: Actor) {
  requirePermission(actor, 'agent.manage');
  return app.db
    .select({
      agent: agents,
      email: users.email,
      name: users.name,
      devices: sql<number>`(select count(*) from ${agentDevices} d where d.agent_id = ${agents.id})`.mapWith(
        Number,
      ),
    })
    .from(agents)
    .innerJoin(users, eq(users.id, agents.userId))
    .where(eq(agents.tenantId, actor.tenantId))
    .orderBy(asc(users.name));
}

export async function updateAgent(app: AppContext, actor: Actor, input: AgentUpdateInput) {
  requirePermission(actor, 'agent.manage');
  const { id, patch } = agentUpdateInput.parse(input);
  return app.db.transaction(async (tx) => {
    const before = await findAgent(tx, actor, id, true);
    // Names live on the (cross-tenant) user, so they are not changed from here.
    const [after] = await tx
      .update(agents)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(agents.tenantId, actor.tenantId), eq(agents.id, id)))
      .returning();
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'agent.update',
      entityType: 'agent',
      entityId: id,
      before,
      after,
    });
    return after ?? before;
  });
}

/** The agent's own account and devices, for the PWA's start screen. */
export async function getOwnAgent(app: AppContext, actor: Actor) {
  requirePermission(actor, 'sale.sync');
  const agent = await requireOwnAgent(app.db, actor);
  const devices = await app.db
    .select({
      id: agentDevices.id,
      label: agentDevices.label,
      status: agentDevices.status,
      lastSeq: agentDevices.lastSeq,
      lastSyncAt: agentDevices.lastSyncAt,
    })
    .from(agentDevices)
    .where(and(eq(agentDevices.tenantId, actor.tenantId), eq(agentDevices.agentId, agent.id)))
    .orderBy(asc(agentDevices.createdAt));
  return { agent, devices };
}
