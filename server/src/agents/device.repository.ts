// Data access shared by devices, leases and sync: tenant-scoped device lookups, the
// per-device feed version, and revoking leases (which locks their unsold codes in RADIUS).
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { agentDevices, voucherLeases, vouchers, type Executor, type Transaction } from '@kasi/db';
import { notFound } from '@kasi/domain';
import type { Actor } from '../app-context.ts';
import { notifyFeedChanged } from './stock-events.ts';

export type DeviceRow = typeof agentDevices.$inferSelect;

/**
 * A device of the actor's tenant (and of one agent when given). `lock` takes the row lock
 * that serialises everything touching the device: ops, leases, revocations.
 */
export async function findDevice(
  db: Executor,
  actor: Actor,
  id: string,
  opts: { agentId?: string; lock?: boolean } = {},
): Promise<DeviceRow> {
  const q = db
    .select()
    .from(agentDevices)
    .where(
      and(
        eq(agentDevices.tenantId, actor.tenantId),
        eq(agentDevices.id, id),
        opts.agentId ? eq(agentDevices.agentId, opts.agentId) : undefined,
      ),
    );
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw notFound('DEVICE.NOT_FOUND', 'No such device');
  return row;
}

/**
 * Next feed version of a device whose row the caller has locked: the pull cursor moves past it,
 * and the phone, if connected, is told at commit to sync.
 */
export async function bumpFeedVersion(tx: Transaction, device: DeviceRow): Promise<number> {
  const [row] = await tx
    .update(agentDevices)
    .set({ feedVersion: sql`${agentDevices.feedVersion} + 1` })
    .where(eq(agentDevices.id, device.id))
    .returning({ v: agentDevices.feedVersion });
  if (!row) throw new Error('device vanished under its lock');
  // Phones connected for stock events hear of it at commit (stock-events.ts).
  await notifyFeedChanged(tx, device.id);
  return row.v;
}

/**
 * Revokes the device's open leases (or one of them) and locks their unsold, never-used codes
 * so RADIUS refuses them. Codes already used (sold offline, not yet synced) stay usable: the
 * buyer paid; the sale still syncs, or the operator charges the agent.
 */
export async function revokeLeases(
  tx: Transaction,
  actor: Actor,
  device: DeviceRow,
  leaseId?: string,
): Promise<{ leaseIds: string[]; lockedCodes: string[] }> {
  const version = await bumpFeedVersion(tx, device);
  const revoked = await tx
    .update(voucherLeases)
    .set({ revokedAt: new Date(), revokedBy: actor.userId, revokedVersion: version })
    .where(
      and(
        eq(voucherLeases.tenantId, actor.tenantId),
        eq(voucherLeases.deviceId, device.id),
        isNull(voucherLeases.revokedAt),
        leaseId ? eq(voucherLeases.id, leaseId) : undefined,
      ),
    )
    .returning({ id: voucherLeases.id });
  const leaseIds = revoked.map((l) => l.id);
  if (!leaseIds.length) return { leaseIds, lockedCodes: [] };
  const locked = await tx
    .update(vouchers)
    .set({ locked: true })
    .where(
      and(
        eq(vouchers.tenantId, actor.tenantId),
        eq(vouchers.leasedDeviceId, device.id),
        inArray(vouchers.leaseId, leaseIds),
        eq(vouchers.status, 'leased'),
        isNull(vouchers.soldAt),
        eq(vouchers.locked, false),
      ),
    )
    .returning({ code: vouchers.code });
  return { leaseIds, lockedCodes: locked.map((v) => v.code) };
}
