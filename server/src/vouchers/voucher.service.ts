// Voucher batches: generate codes for a plan, list them, void, lock or unlock them, and batch-wide changes
// (extend expiry, move to another plan). Codes are unique per tenant; a rare collision with
// an older code is simply drawn again. radiusd reads voucher rows on every login (its only
// cache serves a database outage), so a committed change applies at the next login.
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  agentDevices,
  plans,
  radiusSessions,
  voucherBatches,
  voucherLeases,
  vouchers,
  writeAudit,
  type Transaction,
} from '@kasi/db';
import { conflict, notFound, voucherBatchInput, type VoucherBatchInput } from '@kasi/domain';
import { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { getPlan } from '../plans/plan.service.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { insertBatchCodes } from './voucher-generate.ts';

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

export async function listVoucherBatches(app: AppContext, actor: Actor) {
  requirePermission(actor, 'voucher.read');
  return app.db
    .select({
      batch: voucherBatches,
      sold: sql<number>`count(*) filter (where ${vouchers.status} <> 'generated')`.mapWith(Number),
    })
    .from(voucherBatches)
    .leftJoin(vouchers, eq(vouchers.batchId, voucherBatches.id))
    .where(eq(voucherBatches.tenantId, actor.tenantId))
    .groupBy(voucherBatches.id)
    .orderBy(desc(voucherBatches.createdAt));
}

/** A code's place in its lifecycle as RADIUS would judge it now, not only as stored. */
export type VoucherState =
  'void' | 'locked' | 'expired' | 'exhausted' | 'active' | 'sold' | 'leased' | 'generated';

/**
 * A page of the batch's codes with their live state and usage. Stored usage counts closed
 * sessions only (ADR 0010), so the open sessions' counters are added here, in the same
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
      locked: vouchers.locked,
      firstUsedAt: vouchers.firstUsedAt,
      expiresAt: vouchers.expiresAt,
      state: sql<VoucherState>`case
        when ${vouchers.status} = 'void' then 'void'
        when ${vouchers.locked} then 'locked'
        when ${vouchers.status} = 'expired' or ${vouchers.expiresAt} <= now() then 'expired'
        when ${vouchers.status} = 'exhausted'
          or ${usage.seconds} >= ${plans.timeQuotaSeconds}
          or ${usage.octets} >= ${plans.dataQuotaBytes} then 'exhausted'
        when ${vouchers.firstUsedAt} is not null or ${vouchers.status} = 'active' then 'active'
        when ${vouchers.soldAt} is not null or ${vouchers.status} = 'sold' then 'sold'
        when ${vouchers.status} = 'leased' then 'leased'
        else 'generated' end`,
      usedSeconds: sql<number>`${usage.seconds}`.mapWith(Number),
      usedOctets: sql<bigint>`${usage.octets}`.mapWith(BigInt),
      timeQuotaSeconds: plans.timeQuotaSeconds,
      dataQuotaBytes: plans.dataQuotaBytes,
    })
    .from(vouchers)
    .innerJoin(plans, and(eq(plans.id, vouchers.planId), eq(plans.tenantId, actor.tenantId)))
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

export const extendBatchInput = z.object({
  batchId: z.uuid(),
  days: z.number().int().min(1).max(365),
});
export type ExtendBatchInput = z.input<typeof extendBatchInput>;

export const replanBatchInput = z.object({
  batchId: z.uuid(),
  planId: z.uuid(),
  /** Also move codes an agent sold that nobody has logged in with yet. */
  includeSold: z.boolean().default(false),
  /** Also move codes already in use: their usage and expiry stay, the new plan's limits apply. */
  includeUsed: z.boolean().default(false),
});
export type ReplanBatchInput = z.input<typeof replanBatchInput>;

/** Locks the batch row, so two batch-wide changes to one batch run one after the other. */
async function lockBatch(tx: Transaction, actor: Actor, batchId: string) {
  const [batch] = await tx
    .select()
    .from(voucherBatches)
    .where(and(eq(voucherBatches.tenantId, actor.tenantId), eq(voucherBatches.id, batchId)))
    .for('update');
  if (!batch) throw notFound('VOUCHER_BATCH.NOT_FOUND', 'No such voucher batch');
  return batch;
}

/** `select outcome, count(*)` rows into a record with every outcome present. */
function tally<K extends string>(keys: readonly K[], rows: Record<string, unknown>[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const r of rows) if (keys.includes(r.outcome as K)) out[r.outcome as K] = Number(r.n);
  return out;
}

const EXTEND_OUTCOMES = [
  'extended',
  'notStarted',
  'unlimited',
  'void',
  'locked',
  'expired',
  'exhausted',
] as const;

/**
 * Pushes out by N days the expiry of every code of the batch that has one and has not run
 * out. Codes nobody has logged in with keep their plan validity, which still starts at
 * first login; void, locked, expired and used-up codes are left alone and counted.
 */
export async function extendBatch(app: AppContext, actor: Actor, input: ExtendBatchInput) {
  requirePermission(actor, 'voucher.write');
  const { batchId, days } = extendBatchInput.parse(input);
  return app.db.transaction(async (tx) => {
    await lockBatch(tx, actor, batchId);
    const rows = await tx.execute(sql`
      with codes as (
        select id, case
          when status = 'void' then 'void'
          when locked then 'locked'
          when status = 'exhausted' then 'exhausted'
          when status = 'expired' or expires_at <= now() then 'expired'
          when expires_at is not null then 'extended'
          when first_used_at is null then 'notStarted'
          else 'unlimited' end as outcome
        from vouchers where tenant_id = ${actor.tenantId} and batch_id = ${batchId}
        for update),
      changed as (
        update vouchers v set expires_at = v.expires_at + make_interval(days => ${days})
        from codes c where v.id = c.id and c.outcome = 'extended')
      select outcome, count(*)::int as n from codes group by outcome`);
    const counts = tally(EXTEND_OUTCOMES, rows);
    const { extended, notStarted, unlimited, ...skipped } = counts;
    const result = { extended, notStarted, unlimited, skipped };
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher_batch.extend',
      entityType: 'voucher_batch',
      entityId: batchId,
      after: { days, ...result },
    });
    return result;
  });
}

const REPLAN_OUTCOMES = ['moved', 'alreadyOnPlan', 'void', 'locked', 'leased', 'sold', 'used'] as const;

/**
 * Moves the batch's unsold, unused codes (and, when asked, sold or used ones) to another
 * plan of the tenant, and makes it the batch's plan so reprinted cards show it. Codes on an
 * agent's device are left alone: the device sells them at the price it was leased at.
 */
export async function replanBatch(app: AppContext, actor: Actor, input: ReplanBatchInput) {
  requirePermission(actor, 'voucher.write');
  const { batchId, planId, includeSold, includeUsed } = replanBatchInput.parse(input);
  return app.db.transaction(async (tx) => {
    const batch = await lockBatch(tx, actor, batchId);
    const [plan] = await tx
      .select()
      .from(plans)
      .where(and(eq(plans.tenantId, actor.tenantId), eq(plans.id, planId)));
    if (!plan) throw notFound('PLAN.NOT_FOUND', 'No such plan');
    if (!plan.active) throw conflict('PLAN.INACTIVE', `The plan "${plan.name}" is not on sale`);
    const rows = await tx.execute(sql`
      with codes as (
        select id, case
          when status = 'void' then 'void'
          when locked then 'locked'
          when lease_id is not null and sold_at is null then 'leased'
          when first_used_at is not null then case when ${includeUsed} then 'move' else 'used' end
          when sold_at is not null or status = 'sold' then case when ${includeSold} then 'move' else 'sold' end
          else 'move' end as outcome, plan_id
        from vouchers where tenant_id = ${actor.tenantId} and batch_id = ${batchId}
        for update),
      sorted as (
        select id, case when outcome = 'move' and plan_id = ${plan.id} then 'alreadyOnPlan'
          when outcome = 'move' then 'moved' else outcome end as outcome from codes),
      changed as (
        update vouchers v set plan_id = ${plan.id}
        from sorted s where v.id = s.id and s.outcome = 'moved')
      select outcome, count(*)::int as n from sorted group by outcome`);
    const { moved, alreadyOnPlan, ...skipped } = tally(REPLAN_OUTCOMES, rows);
    await tx
      .update(voucherBatches)
      .set({ planId: plan.id })
      .where(and(eq(voucherBatches.tenantId, actor.tenantId), eq(voucherBatches.id, batch.id)));
    const result = { moved, alreadyOnPlan, skipped };
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher_batch.replan',
      entityType: 'voucher_batch',
      entityId: batch.id,
      before: { planId: batch.planId },
      after: { planId: plan.id, includeSold, includeUsed, ...result },
    });
    return result;
  });
}
