// Change plans for routers: propose (snapshot → typed diff), preview (secrets masked),
// approve or reject (two people when the tenant requires it), apply (drift check, verify,
// automatic rollback; inside RouterOS safe mode where the router has it) and roll back later.
// Every step is audited, with how the router was protected.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { and, desc, eq } from 'drizzle-orm';
import {
  changePlans,
  nas,
  routers,
  tenants,
  SECRET_PURPOSE,
  writeAudit,
  type ChangePlanStatus,
} from '@kasi/db';
import {
  changePlanApprovalRefusal,
  conflict,
  forbidden,
  invalid,
  inverseOps,
  notFound,
  planChanges,
  type SnapshotRow,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { fetchFilesToRouter } from '../hotspot/hotspot-fetch.ts';
import { applyPlan, readSnapshot, type ApplyOutcome } from './change-plan.engine.ts';
import { desiredWiring, WIRING_PATHS } from './radius-wiring.ts';
import { withRouter } from './router-connection.ts';
import { addressTaken } from '../nas/nas-address.ts';
import { loadRouter } from './router.service.ts';
import { sealer, type PlanBody } from './sealed-values.ts';
import { radiusEndpoint } from '../settings/radius-endpoint.ts';

export interface WiringOptions {
  /** Absent: the tenant's RADIUS address (Settings → RADIUS). */
  radiusAddress?: string | undefined;
  /** Absent: the ports the running radiusd reported. */
  authPort?: number | undefined;
  acctPort?: number | undefined;
}

/** The router's NAS entry (RADIUS client) with its secret; created with a strong secret if missing. */
async function nasForRouter(
  app: AppContext,
  actor: Actor,
  router: { id: string; host: string; name: string; nasId: string | null },
) {
  if (!isIP(router.host))
    throw invalid(
      'ROUTER.HOST_NOT_IP',
      'RADIUS clients are matched by IP address: give the router by its IP',
    );
  const [existing] = await app.db.select().from(nas).where(eq(nas.address, router.host));
  if (existing && existing.tenantId !== actor.tenantId)
    throw addressTaken(app, actor, router.host, existing.tenantId);
  if (existing)
    return {
      id: existing.id,
      secret: await app.keyring.decrypt(app.db, actor.tenantId, SECRET_PURPOSE.nasSecret, existing.secretEnc),
    };
  const secret = randomBytes(24).toString('base64url');
  return app.db.transaction(async (tx) => {
    const secretEnc = await app.keyring.encrypt(tx, actor.tenantId, SECRET_PURPOSE.nasSecret, secret);
    const [row] = await tx
      .insert(nas)
      .values({ tenantId: actor.tenantId, name: router.name, address: router.host, secretEnc })
      .returning({ id: nas.id });
    if (!row) throw new Error('insert returned nothing');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'nas.create',
      entityType: 'nas',
      entityId: row.id,
      after: { name: router.name, address: router.host, via: 'router.onboarding' },
    });
    return { id: row.id, secret };
  });
}

export async function proposeRadiusWiring(
  app: AppContext,
  actor: Actor,
  routerId: string,
  opts: WiringOptions,
) {
  requirePermission(actor, 'router.write');
  const router = await loadRouter(app, actor, routerId);
  const endpoint = await radiusEndpoint(app.db, actor.tenantId);
  const radiusAddress = opts.radiusAddress ?? endpoint.address;
  if (!radiusAddress)
    throw invalid('ROUTER.NO_RADIUS_ADDRESS', 'Give the address the router should send RADIUS to', {
      field: 'radiusAddress',
    });
  const { id: nasId, secret } = await nasForRouter(app, actor, router);
  if (router.nasId !== nasId) await app.db.update(routers).set({ nasId }).where(eq(routers.id, router.id));
  const paths = [...WIRING_PATHS];
  const snapshot = await withRouter(app, router, (c) => readSnapshot(c, paths));
  const desired = desiredWiring(snapshot, {
    radiusAddress,
    secret,
    authPort: opts.authPort ?? endpoint.authPort,
    acctPort: opts.acctPort ?? endpoint.acctPort,
    interim: '5m',
  });
  const ops = planChanges(snapshot, desired);
  if (!ops.length) return { upToDate: true as const, plan: null };
  const s = sealer(app, app.db, actor.tenantId);
  const plan = await app.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(changePlans)
      .values({
        tenantId: actor.tenantId,
        routerId,
        title: 'Connect to Kasi RADIUS',
        snapshot: await s.sealRows(snapshot),
        operations: await s.sealBody({ paths, desired, ops }),
        requestedBy: actor.userId,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'change_plan.propose',
      entityType: 'change_plan',
      entityId: row.id,
      after: { routerId, operations: ops.length },
    });
    return row;
  });
  return { upToDate: false as const, plan: await previewOf(app, plan) };
}

export type ChangePlanRow = typeof changePlans.$inferSelect;
type PlanRow = ChangePlanRow;

/** What the UI shows: the operations with secrets masked. */
export async function previewOf(app: AppContext, plan: PlanRow) {
  const s = sealer(app, app.db, plan.tenantId);
  const body = await s.maskBody(plan.operations as PlanBody);
  return { ...plan, snapshot: await s.maskRows(plan.snapshot as SnapshotRow[]), operations: body };
}

async function loadPlan(app: AppContext, actor: Actor, id: string): Promise<PlanRow> {
  const [row] = await app.db
    .select()
    .from(changePlans)
    .where(and(eq(changePlans.tenantId, actor.tenantId), eq(changePlans.id, id)));
  if (!row) throw notFound('CHANGE_PLAN.NOT_FOUND', 'No such change plan');
  return row;
}

export async function listChangePlans(app: AppContext, actor: Actor, routerId: string) {
  requirePermission(actor, 'router.read');
  const rows = await app.db
    .select()
    .from(changePlans)
    .where(and(eq(changePlans.tenantId, actor.tenantId), eq(changePlans.routerId, routerId)))
    .orderBy(desc(changePlans.createdAt));
  return Promise.all(rows.map((r) => previewOf(app, r)));
}

/** Moves a plan from one status to another only if nobody else moved it first. */
async function transition(
  app: AppContext,
  actor: Actor,
  plan: PlanRow,
  from: ChangePlanStatus,
  to: ChangePlanStatus,
  extra: Partial<typeof changePlans.$inferInsert> = {},
  after: Record<string, unknown> = {},
) {
  return app.db.transaction(async (tx) => {
    const [row] = await tx
      .update(changePlans)
      .set({ status: to, updatedAt: new Date(), ...extra })
      .where(and(eq(changePlans.id, plan.id), eq(changePlans.status, from)))
      .returning();
    if (!row) throw conflict('CHANGE_PLAN.STATE', `The plan is no longer ${from}`);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: `change_plan.${to}`,
      entityType: 'change_plan',
      entityId: plan.id,
      before: { status: from },
      after: { status: to, ...after },
    });
    return row;
  });
}

export async function decidePlan(app: AppContext, actor: Actor, id: string, decision: 'approve' | 'reject') {
  requirePermission(actor, 'change.approve');
  const plan = await loadPlan(app, actor, id);
  const [tenant] = await app.db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, actor.tenantId));
  const refusal =
    decision === 'approve' &&
    changePlanApprovalRefusal(actor, plan, tenant?.settings.twoPersonApproval === true);
  if (refusal) throw forbidden('CHANGE_PLAN.SELF_APPROVAL', refusal);
  const to = decision === 'approve' ? 'approved' : 'rejected';
  return previewOf(
    app,
    await transition(app, actor, plan, 'pending', to, { approvedBy: actor.userId, decidedAt: new Date() }),
  );
}

export async function applyChangePlan(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'router.write');
  const plan = await loadPlan(app, actor, id);
  await transition(app, actor, plan, 'approved', 'applying');
  const router = await loadRouter(app, actor, plan.routerId);
  const s = sealer(app, app.db, actor.tenantId);
  const body = await s.unsealBody(plan.operations as PlanBody);
  const snapshot = await s.unsealRows(plan.snapshot as SnapshotRow[]);
  const outcome = await withRouter(app, router, async (c) => {
    // Files first (hotspot pages): a failed download or checksum aborts before any change.
    if (body.fetches?.length) await fetchFilesToRouter(c, body.fetches);
    return applyPlan(c, { snapshot, operations: body.ops, desired: body.desired, paths: body.paths });
  }).catch((e: unknown): ApplyOutcome => ({
    status: 'aborted',
    reason: e instanceof Error ? e.message : String(e),
  }));
  const applied = 'applied' in outcome ? outcome.applied : [];
  const error = outcome.status === 'applied' ? null : outcome.reason;
  const safety = outcome.safety ?? null;
  const sealed = await s.sealBody({ ...body, applied, ...(safety ? { safety } : {}) });
  const done = await transition(
    app,
    actor,
    plan,
    'applying',
    outcome.status,
    { operations: sealed, error, appliedAt: new Date() },
    { error, safety },
  );
  return previewOf(app, done);
}

export async function rollbackChangePlan(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'router.write');
  const plan = await loadPlan(app, actor, id);
  await transition(app, actor, plan, 'applied', 'applying');
  const router = await loadRouter(app, actor, plan.routerId);
  const s = sealer(app, app.db, actor.tenantId);
  const body = await s.unsealBody(plan.operations as PlanBody);
  const undo = inverseOps(body.applied ?? []);
  const after = await withRouter(app, router, (c) => readSnapshot(c, body.paths));
  const outcome = await withRouter(app, router, (c) =>
    applyPlan(c, { snapshot: after, operations: undo, desired: null, paths: body.paths }),
  ).catch((e: unknown): ApplyOutcome => ({
    status: 'aborted',
    reason: e instanceof Error ? e.message : String(e),
  }));
  const to: ChangePlanStatus = outcome.status === 'applied' ? 'rolled_back' : 'failed';
  const error = outcome.status === 'applied' ? null : `Rollback: ${outcome.reason}`;
  const safety = outcome.safety ?? null;
  return previewOf(app, await transition(app, actor, plan, 'applying', to, { error }, { error, safety }));
}
