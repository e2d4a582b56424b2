// Batch-wide changes to voucher codes: extend their expiry, or move them to another plan.
// Each runs in one transaction with the batch row locked and is audited with counts (never
// codes). radiusd reads voucher rows on every login, so a change applies at the next login.
import { and, eq, sql } from 'drizzle-orm';
import { plans, voucherBatches, writeAudit, type Transaction } from '@kasi/db';
import { conflict, notFound } from '@kasi/domain';
import { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';

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
