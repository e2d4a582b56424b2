// Who is online on a router right now (hotspot and PPP, read over the API), and kicking
// one: through RADIUS Disconnect when Kasi's RADIUS manages the session, else over the API.
import { and, eq, isNull } from 'drizzle-orm';
import { radiusSessions, writeAudit } from '@kasi/db';
import { notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { kickSession } from '../sessions/session.service.ts';
import { withRouter } from './router-connection.ts';
import { loadRouter } from './router.service.ts';

export interface LiveSession {
  id: string;
  kind: 'hotspot' | 'ppp';
  user: string;
  address: string;
  callerId: string;
  uptimeSeconds: number;
  radius: boolean;
}

export async function listRouterSessions(
  app: AppContext,
  actor: Actor,
  routerId: string,
): Promise<LiveSession[]> {
  requirePermission(actor, 'session.read');
  const router = await loadRouter(app, actor, routerId);
  return withRouter(app, router, async (c) => [
    ...(await c.listHotspotActive()).map((s): LiveSession => ({
      id: s.id,
      kind: 'hotspot',
      user: s.user,
      address: s.address,
      callerId: s.macAddress,
      uptimeSeconds: s.uptimeSeconds,
      radius: s.radius,
    })),
    ...(await c.listPppActive()).map((s): LiveSession => ({
      id: s.id,
      kind: 'ppp',
      user: s.name,
      address: s.address,
      callerId: s.callerId,
      uptimeSeconds: s.uptimeSeconds,
      radius: s.radius,
    })),
  ]);
}

export interface KickInput {
  routerId: string;
  sessionId: string;
  kind: 'hotspot' | 'ppp';
}

export async function kickRouterSession(app: AppContext, actor: Actor, input: KickInput) {
  requirePermission(actor, 'session.kick');
  const router = await loadRouter(app, actor, input.routerId);
  const live = (await listRouterSessions(app, actor, input.routerId)).find(
    (s) => s.id === input.sessionId && s.kind === input.kind,
  );
  if (!live) throw notFound('SESSION.NOT_FOUND', 'That session has already ended');
  if (live.radius && router.nasId) {
    const [open] = await app.db
      .select({ id: radiusSessions.id })
      .from(radiusSessions)
      .where(
        and(
          eq(radiusSessions.nasId, router.nasId),
          eq(radiusSessions.userName, live.user),
          isNull(radiusSessions.stoppedAt),
        ),
      );
    if (open) return { via: 'radius' as const, result: await kickSession(app, actor, open.id) };
  }
  await withRouter(app, router, (c) =>
    input.kind === 'hotspot' ? c.removeHotspotActive(input.sessionId) : c.removePppActive(input.sessionId),
  );
  await writeAudit(app.db, {
    ...auditActor(actor),
    action: 'session.kick',
    entityType: 'router_session',
    entityId: `${router.id}/${input.sessionId}`,
    after: { user: live.user, via: 'api' },
  });
  return { via: 'api' as const, result: { status: 'ack' as const } };
}
