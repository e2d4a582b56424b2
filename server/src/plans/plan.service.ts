// Plans: create, change, list. Tenant-scoped; every write audited in its transaction.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { plans, planVersions, writeAudit, type Executor } from '@kasi/db';
import {
  conflict,
  notFound,
  planInput,
  planPatch,
  type PlanInput,
  type PlanPatch,
  type PlanValues,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { recordPlanVersion } from './plan-version.ts';

export type PlanRow = typeof plans.$inferSelect;

function toColumns(v: Partial<PlanValues>) {
  const burst = v.burst;
  return {
    ...(v.name !== undefined && { name: v.name }),
    ...(v.downloadBps !== undefined && { downloadBps: v.downloadBps }),
    ...(v.uploadBps !== undefined && { uploadBps: v.uploadBps }),
    ...(burst !== undefined && {
      burstDownloadBps: burst?.downloadBps ?? null,
      burstUploadBps: burst?.uploadBps ?? null,
      burstThresholdDownloadBps: burst?.thresholdDownloadBps ?? null,
      burstThresholdUploadBps: burst?.thresholdUploadBps ?? null,
      burstTimeSeconds: burst?.timeSeconds ?? null,
    }),
    ...(v.validitySeconds !== undefined && { validitySeconds: v.validitySeconds }),
    ...(v.timeQuotaSeconds !== undefined && { timeQuotaSeconds: v.timeQuotaSeconds }),
    ...(v.dataQuotaBytes !== undefined && { dataQuotaBytes: v.dataQuotaBytes }),
    ...(v.sharedUsers !== undefined && { sharedUsers: v.sharedUsers }),
    ...(v.idleTimeoutSeconds !== undefined && { idleTimeoutSeconds: v.idleTimeoutSeconds }),
    ...(v.interimIntervalSeconds !== undefined && { interimIntervalSeconds: v.interimIntervalSeconds }),
    ...(v.addressPool !== undefined && { addressPool: v.addressPool }),
    ...(v.exhaustedAction !== undefined && { exhaustedAction: v.exhaustedAction }),
    ...(v.walledGardenList !== undefined && { walledGardenList: v.walledGardenList }),
    ...(v.priceMinor !== undefined && { priceMinor: v.priceMinor }),
    ...(v.currency !== undefined && { currency: v.currency }),
    ...(v.audience !== undefined && { audience: v.audience }),
    ...(v.billingPeriodUnit !== undefined && { billingPeriodUnit: v.billingPeriodUnit }),
    ...(v.billingPeriodCount !== undefined && { billingPeriodCount: v.billingPeriodCount }),
    ...(v.billingMode !== undefined && { billingMode: v.billingMode }),
    ...(v.installationFeeMinor !== undefined && { installationFeeMinor: v.installationFeeMinor }),
  };
}

export async function listPlans(app: AppContext, actor: Actor): Promise<PlanRow[]> {
  requirePermission(actor, 'plan.read');
  return app.db.select().from(plans).where(eq(plans.tenantId, actor.tenantId)).orderBy(asc(plans.name));
}

export async function getPlan(app: AppContext, actor: Actor, id: string): Promise<PlanRow> {
  requirePermission(actor, 'plan.read');
  const [row] = await app.db
    .select()
    .from(plans)
    .where(and(eq(plans.tenantId, actor.tenantId), eq(plans.id, id)));
  if (!row) throw notFound('PLAN.NOT_FOUND', 'No such plan');
  return row;
}

export async function createPlan(app: AppContext, actor: Actor, input: PlanInput): Promise<PlanRow> {
  requirePermission(actor, 'plan.write');
  const values = planInput.parse(input);
  return app.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(plans)
      .values({
        ...toColumns(values),
        name: values.name,
        downloadBps: values.downloadBps,
        uploadBps: values.uploadBps,
        priceMinor: values.priceMinor,
        currency: values.currency,
        tenantId: actor.tenantId,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw conflict('PLAN.NAME_TAKEN', `A plan named "${values.name}" already exists`);
    await recordPlanVersion(tx, row);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'plan.create',
      entityType: 'plan',
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function updatePlan(
  app: AppContext,
  actor: Actor,
  id: string,
  patch: PlanPatch,
): Promise<PlanRow> {
  requirePermission(actor, 'plan.write');
  const values = planPatch.parse(patch);
  return app.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(plans)
      .where(and(eq(plans.tenantId, actor.tenantId), eq(plans.id, id)))
      .for('update');
    if (!before) throw notFound('PLAN.NOT_FOUND', 'No such plan');
    if (before.archivedAt) throw conflict('PLAN.ARCHIVED', `The plan "${before.name}" is archived`);
    if (values.name !== undefined && values.name !== before.name)
      await refuseTakenName(tx, actor, values.name);
    // Every change is a new version; subscribers move to it at their next period (the
    // billing run reads the plan) or now through a previewed plan change.
    const [after] = await tx
      .update(plans)
      .set({ ...toColumns(values), version: sql`${plans.version} + 1`, updatedAt: new Date() })
      .where(and(eq(plans.tenantId, actor.tenantId), eq(plans.id, id)))
      .returning();
    if (after) await recordPlanVersion(tx, after);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'plan.update',
      entityType: 'plan',
      entityId: id,
      before,
      after,
    });
    return after ?? before;
  });
}

async function refuseTakenName(tx: Executor, actor: Actor, name: string): Promise<void> {
  const [taken] = await tx
    .select({ id: plans.id })
    .from(plans)
    .where(and(eq(plans.tenantId, actor.tenantId), eq(plans.name, name)));
  if (taken) throw conflict('PLAN.NAME_TAKEN', `A plan named "${name}" already exists`, { field: 'name' });
}

/** Archived plans stay for history (invoices, vouchers) and are refused for new sales and changes. */
export async function archivePlan(app: AppContext, actor: Actor, id: string): Promise<PlanRow> {
  requirePermission(actor, 'plan.write');
  return app.db.transaction(async (tx) => {
    const [row] = await tx
      .update(plans)
      .set({ archivedAt: sql`coalesce(${plans.archivedAt}, now())`, active: false, updatedAt: new Date() })
      .where(and(eq(plans.tenantId, actor.tenantId), eq(plans.id, id)))
      .returning();
    if (!row) throw notFound('PLAN.NOT_FOUND', 'No such plan');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'plan.archive',
      entityType: 'plan',
      entityId: id,
      after: { archivedAt: row.archivedAt },
    });
    return row;
  });
}

export async function listPlanVersions(app: AppContext, actor: Actor, id: string) {
  await getPlan(app, actor, id);
  return app.db
    .select()
    .from(planVersions)
    .where(and(eq(planVersions.tenantId, actor.tenantId), eq(planVersions.planId, id)))
    .orderBy(desc(planVersions.version));
}
