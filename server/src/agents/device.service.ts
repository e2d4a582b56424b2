// Device enrolment: an agent registers a device with its public key (pending); an operator
// approves it, telling phones apart by the pairing code both sides derive from the key; revoking it or declaring it lost revokes its leases and locks unsold codes.
import { and, asc, eq } from 'drizzle-orm';
import { agentDevices, agents, users, writeAudit } from '@kasi/db';
import {
  conflict,
  deviceRegisterInput,
  deviceStatusInput,
  type DeviceRegisterInput,
  type DeviceStatusInput,
} from '@kasi/domain';
import { pairingCode } from '@kasi/domain/pairing-code';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { requireOwnAgent } from './agent.service.ts';
import { importDeviceKey } from './device-key.ts';
import { findDevice, revokeLeases } from './device.repository.ts';

export async function registerDevice(app: AppContext, actor: Actor, input: DeviceRegisterInput) {
  requirePermission(actor, 'sale.sync');
  const { label, publicKey } = deviceRegisterInput.parse(input);
  const key = importDeviceKey(publicKey);
  return app.db.transaction(async (tx) => {
    const agent = await requireOwnAgent(tx, actor);
    const [row] = await tx
      .insert(agentDevices)
      .values({
        tenantId: actor.tenantId,
        agentId: agent.id,
        label,
        publicKeySpki: key.spki,
        keyFingerprint: key.fingerprint,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('DEVICE.KEY_TAKEN', 'This key is already enrolled; make a new one');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'device.register',
      entityType: 'agent_device',
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function listDevices(
  app: AppContext,
  actor: Actor,
  opts: { agentId?: string | undefined } = {},
) {
  requirePermission(actor, 'agent.manage');
  const rows = await app.db
    .select({
      id: agentDevices.id,
      agentId: agentDevices.agentId,
      agentName: users.name,
      label: agentDevices.label,
      status: agentDevices.status,
      statusReason: agentDevices.statusReason,
      keyFingerprint: agentDevices.keyFingerprint,
      lastSeq: agentDevices.lastSeq,
      lastSyncAt: agentDevices.lastSyncAt,
      createdAt: agentDevices.createdAt,
      approvedAt: agentDevices.approvedAt,
    })
    .from(agentDevices)
    .innerJoin(agents, eq(agents.id, agentDevices.agentId))
    .innerJoin(users, eq(users.id, agents.userId))
    .where(
      and(
        eq(agentDevices.tenantId, actor.tenantId),
        opts.agentId ? eq(agentDevices.agentId, opts.agentId) : undefined,
      ),
    )
    .orderBy(asc(agentDevices.createdAt));
  // The code the phone shows while it waits, so the operator approves the right one.
  return rows.map((d) => ({ ...d, pairingCode: pairingCode(d.keyFingerprint) }));
}

export async function approveDevice(app: AppContext, actor: Actor, input: DeviceStatusInput) {
  requirePermission(actor, 'agent.manage');
  const { deviceId, reason } = deviceStatusInput.parse(input);
  return app.db.transaction(async (tx) => {
    const before = await findDevice(tx, actor, deviceId, { lock: true });
    if (before.status !== 'pending') {
      throw conflict('DEVICE.NOT_PENDING', `The device is ${before.status}, not waiting for approval`);
    }
    const [after] = await tx
      .update(agentDevices)
      .set({ status: 'approved', statusReason: reason, approvedBy: actor.userId, approvedAt: new Date() })
      .where(eq(agentDevices.id, before.id))
      .returning();
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'device.approve',
      entityType: 'agent_device',
      entityId: before.id,
      before,
      after,
    });
    return after ?? before;
  });
}

/**
 * Revoked: the device may no longer sync (a pending device can be refused this way too).
 * Lost: the same, recorded as lost so sales surfacing later at first login are charged.
 * Either way its open leases are revoked and unsold codes locked, in the same transaction.
 */
export async function retireDevice(
  app: AppContext,
  actor: Actor,
  input: DeviceStatusInput,
  status: 'revoked' | 'lost',
) {
  requirePermission(actor, 'agent.manage');
  const { deviceId, reason } = deviceStatusInput.parse(input);
  return app.db.transaction(async (tx) => {
    const before = await findDevice(tx, actor, deviceId, { lock: true });
    if (before.status === status || before.status === 'lost') {
      throw conflict('DEVICE.ALREADY_RETIRED', `The device is already ${before.status}`);
    }
    const [after] = await tx
      .update(agentDevices)
      .set({ status, statusReason: reason, revokedBy: actor.userId, revokedAt: new Date() })
      .where(eq(agentDevices.id, before.id))
      .returning();
    const { leaseIds, lockedCodes } = await revokeLeases(tx, actor, before);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: status === 'lost' ? 'device.lost' : 'device.revoke',
      entityType: 'agent_device',
      entityId: before.id,
      before,
      after: { ...after, revokedLeases: leaseIds, lockedCodes },
    });
    return { device: after ?? before, lockedCodes };
  });
}
