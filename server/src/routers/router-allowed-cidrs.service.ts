// The tenant's router address ranges (see @kasi/domain router-address). A server-operator
// setting: a listed range can open loopback or this server's own address to the RouterOS
// client, so it is set from the CLI (someone with the server in hand), never by a signed-in
// tenant user — a console screen for it must keep that line.
import { eq } from 'drizzle-orm';
import { tenants, writeAudit } from '@kasi/db';
import { forbidden, formatCidr, notFound, parseAllowedCidrs } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';

/** Replaces the tenant's ranges; an empty list restores the default rule. */
export async function setRouterAllowedCidrs(app: AppContext, actor: Actor, ranges: readonly string[]) {
  requirePermission(actor, 'tenant.manage');
  if (actor.userId !== null)
    throw forbidden('ROUTER.RANGES_OPERATOR_ONLY', 'Router address ranges are set by the server’s operator');
  const cidrs = [...new Set(parseAllowedCidrs(ranges).map(formatCidr))];
  return app.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ cidrs: tenants.routerAllowedCidrs })
      .from(tenants)
      .where(eq(tenants.id, actor.tenantId))
      .for('update');
    if (!before) throw notFound('TENANT.NOT_FOUND', 'No such tenant');
    await tx.update(tenants).set({ routerAllowedCidrs: cidrs }).where(eq(tenants.id, actor.tenantId));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'tenant.router_allowed_cidrs',
      entityType: 'tenant',
      entityId: actor.tenantId,
      before: { routerAllowedCidrs: before.cidrs },
      after: { routerAllowedCidrs: cidrs },
    });
    return { routerAllowedCidrs: cidrs };
  });
}
