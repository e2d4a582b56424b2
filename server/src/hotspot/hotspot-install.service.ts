// "Install the hotspot login page" as a change plan (ADR 0008, ADR 0024): the bundle is stored
// under a fresh token; the plan fetches its files onto the router (checksums checked), then
// points every hotspot profile's html-directory at them and opens the walled garden for Kasi's
// pay page and the enabled card providers. Preview, approval, apply and roll back are the
// change plans' own (router.decide / applyPlan / rollback); roll back restores the previous
// html-directory and removes the walled-garden entries the plan added.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { changePlans, hotspotPageBundles, paymentGateways, writeAudit } from '@kasi/db';
import {
  desiredWalledGarden,
  hotspotInstallInput,
  planChanges,
  walledGardenHosts,
  type DesiredRow,
  type SnapshotRow,
} from '@kasi/domain';
import type { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { requirePermission } from '../authorize.ts';
import { hashToken } from '../auth/session-store.ts';
import { readSnapshot } from '../routers/change-plan.engine.ts';
import { previewOf } from '../routers/change-plan.service.ts';
import { withRouter } from '../routers/router-connection.ts';
import { loadRouter } from '../routers/router.service.ts';
import { sealer } from '../routers/sealed-values.ts';
import { bundleDirectory, bundleFor, hotspotBase, sha256 } from './hotspot-bundle.ts';
import type { FileFetch } from './hotspot-fetch.ts';

export const HOTSPOT_PATHS = [
  '/ip/hotspot/profile',
  '/ip/hotspot/walled-garden',
  '/ip/hotspot/walled-garden/ip',
];

/** Kasi's address for the router's clients: the operator's choice, else the server's public URL. */
export const kasiUrlOf = (app: AppContext, given: string | undefined) =>
  (given ?? app.payments?.publicUrl ?? app.sms?.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '');

async function enabledGateways(app: AppContext, tenantId: string): Promise<string[]> {
  const rows = await app.db
    .select({ gateway: paymentGateways.gateway })
    .from(paymentGateways)
    .where(and(eq(paymentGateways.tenantId, tenantId), eq(paymentGateways.enabled, true)));
  return rows.map((r) => r.gateway);
}

function desiredInstall(snapshot: SnapshotRow[], directory: string, hosts: string[]): DesiredRow[] {
  const profiles = snapshot.filter((r) => r.path === '/ip/hotspot/profile').map((r) => r.values.name ?? '');
  return [
    ...profiles.map((name): DesiredRow => ({
      path: '/ip/hotspot/profile',
      match: { name },
      values: { 'html-directory': directory },
    })),
    ...desiredWalledGarden(hosts),
  ];
}

export async function proposeHotspotInstall(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof hotspotInstallInput>,
) {
  requirePermission(actor, 'router.write');
  const v = hotspotInstallInput.parse(input);
  const router = await loadRouter(app, actor, v.routerId);
  const kasiUrl = kasiUrlOf(app, v.kasiUrl);
  const token = randomBytes(24).toString('base64url');
  const base = hotspotBase(kasiUrl, token);
  const files = await bundleFor(app.db, actor.tenantId, { base });
  const { snapshot, flash } = await withRouter(app, router, async (c) => ({
    snapshot: await readSnapshot(c, HOTSPOT_PATHS),
    // Files outside flash/ live in RAM on routers that have it, and are gone after a reboot.
    flash: (await c.getFile('flash')) !== undefined,
  }));
  const directory = `${flash ? 'flash/' : ''}${bundleDirectory(files)}`;
  const fetches: FileFetch[] = Object.entries(files).map(([name, body]) => ({
    url: `${base}/${name}`,
    dstPath: `${directory}/${name}`,
    size: Buffer.byteLength(body, 'utf8'),
    sha256: sha256(body),
  }));
  const hosts = walledGardenHosts(new URL(kasiUrl).hostname, await enabledGateways(app, actor.tenantId));
  const desired = desiredInstall(snapshot, directory, hosts);
  const ops = planChanges(snapshot, desired);
  if (!ops.length) return { upToDate: true as const, plan: null };
  const s = sealer(app, app.db, actor.tenantId);
  const body = await s.sealBody({ paths: HOTSPOT_PATHS, desired, ops, fetches });
  const plan = await app.db.transaction(async (tx) => {
    await tx.insert(hotspotPageBundles).values({
      tenantId: actor.tenantId,
      routerId: router.id,
      tokenHash: hashToken(token),
      directory,
      files,
    });
    const [row] = await tx
      .insert(changePlans)
      .values({
        tenantId: actor.tenantId,
        routerId: router.id,
        title: 'Install the hotspot login page',
        snapshot: await s.sealRows(snapshot),
        operations: body,
        requestedBy: actor.userId,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'change_plan.propose',
      entityType: 'change_plan',
      entityId: row.id,
      after: {
        routerId: router.id,
        operations: ops.length,
        hotspotDirectory: directory,
        files: fetches.length,
      },
    });
    return row;
  });
  return { upToDate: false as const, plan: await previewOf(app, plan) };
}
