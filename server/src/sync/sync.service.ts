// The agent PWA's two calls: push its outbox (each op answered applied, duplicate or
// rejected) and pull what changed for the device since its cursor (new stock, revocations).
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { plans, voucherLeases, vouchers } from '@kasi/db';
import {
  describeValidity,
  syncPullInput,
  syncPushInput,
  type OpAnswer,
  type SyncPullInput,
  type SyncPushInput,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { requireOwnAgent } from '../agents/agent.service.ts';
import { findDevice } from '../agents/device.repository.ts';
import { applySaleOps, OPS_PER_TRANSACTION } from './push-batch.ts';

export async function pushOps(app: AppContext, actor: Actor, input: SyncPushInput) {
  requirePermission(actor, 'sale.sync');
  const { deviceId, ops } = syncPushInput.parse(input);
  const agent = await requireOwnAgent(app.db, actor);
  const device = await findDevice(app.db, actor, deviceId, { agentId: agent.id });
  // In sequence order, a transaction per chunk. Ops left unanswered (an op failed unexpectedly)
  // are not tried further: the device sends them again, in order.
  const sorted = [...ops].sort((a, b) => a.seq - b.seq);
  const results: OpAnswer[] = [];
  for (let i = 0; i < sorted.length; i += OPS_PER_TRANSACTION) {
    const chunk = sorted.slice(i, i + OPS_PER_TRANSACTION);
    let answers: OpAnswer[];
    try {
      answers = await applySaleOps(app, actor, device, chunk);
    } catch (e) {
      // Earlier chunks are committed: answer them rather than make the device guess.
      if (results.length === 0) throw e;
      app.log.error({ err: e, requestId: actor.requestId }, 'sync push stopped part-way');
      break;
    }
    results.push(...answers);
    if (answers.length < chunk.length) break;
  }
  return { results };
}

export async function pullFeed(app: AppContext, actor: Actor, input: SyncPullInput) {
  requirePermission(actor, 'sale.sync');
  const { deviceId, cursor } = syncPullInput.parse(input);
  const agent = await requireOwnAgent(app.db, actor);
  // The version is read before the rows: a lease committed in between is sent again next
  // time (the device upserts by code), never skipped.
  const device = await findDevice(app.db, actor, deviceId, { agentId: agent.id });
  const since = cursor !== null && Number(cursor) <= device.feedVersion ? Number(cursor) : 0;
  const onDevice = and(eq(vouchers.tenantId, actor.tenantId), eq(vouchers.leasedDeviceId, device.id));

  const leased = await app.db
    .select({
      code: vouchers.code,
      leaseId: voucherLeases.id,
      planName: plans.name,
      priceMinor: voucherLeases.unitPriceMinor,
      currency: voucherLeases.currency,
      validitySeconds: plans.validitySeconds,
    })
    .from(vouchers)
    .innerJoin(voucherLeases, eq(voucherLeases.id, vouchers.leaseId))
    .innerJoin(plans, eq(plans.id, voucherLeases.planId))
    .where(
      and(
        onDevice,
        gt(voucherLeases.version, since),
        isNull(voucherLeases.revokedAt),
        isNull(vouchers.soldAt),
        eq(vouchers.locked, false),
        eq(vouchers.status, 'leased'),
      ),
    )
    .orderBy(asc(voucherLeases.version), asc(vouchers.code));

  const revoked = await app.db
    .select({ code: vouchers.code, leaseId: voucherLeases.id })
    .from(vouchers)
    .innerJoin(voucherLeases, eq(voucherLeases.id, vouchers.leaseId))
    .where(and(onDevice, gt(voucherLeases.revokedVersion, since), isNull(vouchers.soldAt)))
    .orderBy(asc(vouchers.code));

  return {
    cursor: String(device.feedVersion),
    device: { id: device.id, status: device.status, lastSeq: device.lastSeq },
    leased: leased.map((l) => ({ ...l, validityText: describeValidity(l.validitySeconds) })),
    revoked,
  };
}
