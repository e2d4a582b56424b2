// Sync conflicts: ops the server refused or flagged (a code sold twice, a sequence gap, a
// bad signature…), kept for the operator to review, resolve and, if need be, charge.
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { agentDevices, agentLedger, agents, syncConflicts, users, writeAudit, type Executor } from '@kasi/db';
import {
  conflict,
  conflictResolveInput,
  notFound,
  type ConflictResolveInput,
  type SignedSaleOp,
  type SyncReason,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { findAgent } from '../agents/agent.service.ts';
import type { DeviceRow } from '../agents/device.repository.ts';
import { auditActor } from '../audit/audit-actor.ts';

/** Records a conflict once per (device, sale id, reason); false when a replay found it already there. */
export async function recordConflict(
  tx: Executor,
  actor: Actor,
  device: DeviceRow,
  op: SignedSaleOp,
  reason: SyncReason,
  found: Record<string, unknown> = {},
): Promise<boolean> {
  const inserted = await tx
    .insert(syncConflicts)
    .values({
      tenantId: actor.tenantId,
      deviceId: device.id,
      agentId: device.agentId,
      seq: op.seq,
      saleId: op.saleId,
      code: op.code,
      reason,
      payload: { op: { ...op, amountMinor: op.amountMinor.toString() }, found },
    })
    .onConflictDoNothing()
    .returning({ id: syncConflicts.id });
  return inserted.length > 0;
}

export async function listConflicts(
  app: AppContext,
  actor: Actor,
  opts: { state: 'open' | 'resolved' | 'all'; limit: number },
) {
  requirePermission(actor, 'cash.read');
  const state =
    opts.state === 'open'
      ? isNull(syncConflicts.resolvedAt)
      : opts.state === 'resolved'
        ? isNotNull(syncConflicts.resolvedAt)
        : undefined;
  return app.db
    .select({
      conflict: syncConflicts,
      agentName: users.name,
      deviceLabel: agentDevices.label,
    })
    .from(syncConflicts)
    .innerJoin(agents, eq(agents.id, syncConflicts.agentId))
    .innerJoin(users, eq(users.id, agents.userId))
    .innerJoin(agentDevices, eq(agentDevices.id, syncConflicts.deviceId))
    .where(and(eq(syncConflicts.tenantId, actor.tenantId), state))
    .orderBy(desc(syncConflicts.createdAt))
    .limit(opts.limit);
}

export async function resolveConflict(app: AppContext, actor: Actor, input: ConflictResolveInput) {
  requirePermission(actor, 'cash.write');
  const { id, note, chargeMinor } = conflictResolveInput.parse(input);
  return app.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(syncConflicts)
      .where(and(eq(syncConflicts.tenantId, actor.tenantId), eq(syncConflicts.id, id)))
      .for('update');
    if (!before) throw notFound('CONFLICT.NOT_FOUND', 'No such conflict');
    if (before.resolvedAt) throw conflict('CONFLICT.ALREADY_RESOLVED', 'This conflict is already resolved');
    const [after] = await tx
      .update(syncConflicts)
      .set({ resolvedAt: new Date(), resolvedBy: actor.userId, resolutionNote: note })
      .where(eq(syncConflicts.id, id))
      .returning();
    if (chargeMinor !== undefined && chargeMinor !== 0n) {
      const agent = await findAgent(tx, actor, before.agentId, true);
      await tx.insert(agentLedger).values({
        tenantId: actor.tenantId,
        agentId: agent.id,
        kind: 'adjustment',
        amountMinor: chargeMinor,
        currency: agent.currency,
        note: `Conflict ${before.reason} (${before.code ?? '-'}): ${note}`,
        by: actor.userId,
      });
    }
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'sync_conflict.resolve',
      entityType: 'sync_conflict',
      entityId: id,
      before,
      after: { ...after, chargeMinor: chargeMinor ?? null },
    });
    return after ?? before;
  });
}
