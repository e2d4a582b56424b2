// Voucher batches: generate codes for a plan, list them, void, lock or unlock them, hold one
// for a test (batch-wide changes are in voucher-batch-ops.ts, printing in print/). Codes are unique per tenant; a rare collision with
// an older code is simply drawn again. radiusd reads voucher rows on every login (its only
// cache serves a database outage), so a committed change applies at the next login.
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  agentDevices,
  plans,
  radiusSessions,
  voucherBatches,
  voucherLeases,
  voucherPrintRuns,
  vouchers,
  writeAudit,
} from '@kasi/db';
import { notFound, voucherBatchInput, type VoucherBatchInput } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { getPlan } from '../plans/plan.service.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { insertBatchCodes } from './voucher-generate.ts';
import { drawStock } from './voucher-stock.ts';
import { EMPTY_FIGURES, soldSql, usageStateSql, voucherFigures } from './voucher-figures.ts';

export async function createVoucherBatch(app: AppContext, actor: Actor, input: VoucherBatchInput) {
  requirePermission(actor, 'voucher.write');
  const values = voucherBatchInput.parse(input);
  const plan = await getPlan(app, actor, values.planId);
  return app.db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(voucherBatches)
      .values({
        tenantId: actor.tenantId,
        planId: plan.id,
        name: values.name ?? `${plan.name} × ${values.quantity}`,
        quantity: values.quantity,
        codeLength: values.codeLength,
        prefix: values.prefix,
        createdBy: actor.userId,
      })
      .returning();
    if (!batch) throw new Error('insert returned nothing');
    await insertBatchCodes(tx, batch, values.quantity);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher_batch.create',
      entityType: 'voucher_batch',
      entityId: batch.id,
      after: batch,
    });
    return batch;
  });
}

/** The tenant's batches, newest first, each with its honest counts (voucher-figures.ts). */
export async function listVoucherBatches(app: AppContext, actor: Actor) {
  requirePermission(actor, 'voucher.read');
  const [batches, figures] = await Promise.all([
    app.db
      .select()
      .from(voucherBatches)
      .where(eq(voucherBatches.tenantId, actor.tenantId))
      .orderBy(desc(voucherBatches.createdAt)),
    voucherFigures(app, actor, 'batch'),
  ]);
  return batches.map((batch) => ({ batch, figures: figures.get(batch.id) ?? EMPTY_FIGURES }));
}

/**
 * A page of the batch's codes with their channel, live state and usage. Stored usage counts
 * closed sessions only (ADR 0010), so the open sessions' counters are added here, in the same
 * statement through a lateral join on the `radius_sessions_voucher` index.
 */
export async function listBatchVouchers(
  app: AppContext,
  actor: Actor,
  batchId: string,
  opts: { limit: number; offset: number },
) {
  requirePermission(actor, 'voucher.read');
  const where = and(eq(vouchers.tenantId, actor.tenantId), eq(vouchers.batchId, batchId));
  const [total] = await app.db.select({ n: count() }).from(vouchers).where(where);
  if (!total?.n) throw notFound('VOUCHER_BATCH.NOT_FOUND', 'No such voucher batch');
  const usage = app.db
    .select({
      seconds: sql<number>`${vouchers.usedSeconds} + coalesce(sum(${radiusSessions.sessionTime}), 0)::int`.as(
        'seconds',
      ),
      octets: sql<string>`${vouchers.usedOctets}
        + coalesce(sum(${radiusSessions.inputOctets} + ${radiusSessions.outputOctets}), 0)::bigint`.as(
        'octets',
      ),
    })
    .from(radiusSessions)
    .where(
      and(
        eq(radiusSessions.tenantId, actor.tenantId),
        eq(radiusSessions.voucherId, vouchers.id),
        isNull(radiusSessions.stoppedAt),
      ),
    )
    .as('usage');
  const rows = await app.db
    .select({
      id: vouchers.id,
      code: vouchers.code,
      status: vouchers.status,
      channel: vouchers.channel,
      printRun: voucherPrintRuns.number,
      sold: soldSql,
      soldAt: vouchers.soldAt,
      locked: vouchers.locked,
      firstUsedAt: vouchers.firstUsedAt,
      expiresAt: vouchers.expiresAt,
      state: usageStateSql({ seconds: sql`${usage.seconds}`, octets: sql`${usage.octets}` }),
      usedSeconds: sql<number>`${usage.seconds}`.mapWith(Number),
      usedOctets: sql<bigint>`${usage.octets}`.mapWith(BigInt),
      timeQuotaSeconds: plans.timeQuotaSeconds,
      dataQuotaBytes: plans.dataQuotaBytes,
    })
    .from(vouchers)
    .innerJoin(plans, and(eq(plans.id, vouchers.planId), eq(plans.tenantId, actor.tenantId)))
    .leftJoin(voucherPrintRuns, eq(voucherPrintRuns.id, vouchers.printRunId))
    .leftJoinLateral(usage, sql`true`)
    .where(where)
    .orderBy(vouchers.createdAt, vouchers.code)
    .limit(opts.limit)
    .offset(opts.offset);
  return { total: total.n, rows };
}

export async function voidVouchers(app: AppContext, actor: Actor, ids: string[]) {
  requirePermission(actor, 'voucher.write');
  return app.db.transaction(async (tx) => {
    const changed = await tx
      .update(vouchers)
      .set({ status: 'void' })
      .where(and(eq(vouchers.tenantId, actor.tenantId), inArray(vouchers.id, ids)))
      .returning({ id: vouchers.id, code: vouchers.code });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher.void',
      entityType: 'voucher',
      after: { ids: changed.map((v) => v.id) },
    });
    return changed.length;
  });
}

/** Locks codes at any stage: RADIUS refuses a locked code at its next login. */
export async function lockVouchers(app: AppContext, actor: Actor, ids: string[]) {
  requirePermission(actor, 'voucher.write');
  return app.db.transaction(async (tx) => {
    const changed = await tx
      .update(vouchers)
      .set({ locked: true })
      .where(
        and(eq(vouchers.tenantId, actor.tenantId), inArray(vouchers.id, ids), eq(vouchers.locked, false)),
      )
      .returning({ id: vouchers.id });
    const locked = changed.map((v) => v.id);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher.lock',
      entityType: 'voucher',
      after: { ids: locked, count: locked.length },
    });
    return { locked: locked.length };
  });
}

/**
 * Unlocks codes, except those still known to a lost or revoked phone: unsold, never-used
 * codes of a revoked lease (or of a device no longer approved). Those stay locked and are
 * counted in `keptLocked`. Clearing their lease link would not help: the phone keeps the
 * codes and can sell them offline, and RADIUS accepts an unlocked leased or unsold code at
 * first login, so only the lock keeps a thief's sales off the network. The operator voids
 * them instead. Codes on a healthy lease unlock and are sellable again by their device.
 */
export async function unlockVouchers(app: AppContext, actor: Actor, ids: string[]) {
  requirePermission(actor, 'voucher.write');
  return app.db.transaction(async (tx) => {
    const candidates = await tx
      .select({
        id: vouchers.id,
        onRetiredPhone: sql<boolean>`${vouchers.leaseId} is not null and ${vouchers.soldAt} is null
          and ${vouchers.firstUsedAt} is null
          and (${voucherLeases.revokedAt} is not null or ${agentDevices.status} is distinct from 'approved')`,
      })
      .from(vouchers)
      .leftJoin(voucherLeases, eq(voucherLeases.id, vouchers.leaseId))
      .leftJoin(agentDevices, eq(agentDevices.id, vouchers.leasedDeviceId))
      .where(and(eq(vouchers.tenantId, actor.tenantId), inArray(vouchers.id, ids), eq(vouchers.locked, true)))
      .for('update', { of: vouchers });
    const keep = candidates.filter((c) => c.onRetiredPhone).map((c) => c.id);
    const free = candidates.filter((c) => !c.onRetiredPhone).map((c) => c.id);
    if (free.length) {
      await tx
        .update(vouchers)
        .set({ locked: false })
        .where(and(eq(vouchers.tenantId, actor.tenantId), inArray(vouchers.id, free)));
    }
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher.unlock',
      entityType: 'voucher',
      after: { ids: free, count: free.length, keptLocked: keep },
    });
    return { unlocked: free.length, keptLocked: keep.length };
  });
}

/**
 * Takes one stock code of the batch out of sale for the operator to try (radclient, a phone
 * on the hotspot): its logins count as test logins, never as a sale, and no print run or
 * lease can take it afterwards.
 */
export async function holdTestCode(app: AppContext, actor: Actor, batchId: string) {
  requirePermission(actor, 'voucher.write');
  return app.db.transaction(async (tx) => {
    const [held] = await drawStock(tx, {
      tenantId: actor.tenantId,
      from: { batchId },
      count: 1,
      to: { channel: 'held' },
    });
    if (!held) throw new Error('drawStock returned nothing');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher.hold_for_test',
      entityType: 'voucher',
      entityId: held.id,
      after: { batchId, channel: 'held' },
    });
    return held;
  });
}
