// Live RADIUS sessions: list them, and end one (operator kick) with a Disconnect-Request
// to its router (RFC 5176). The result — ack, nak or timeout — is returned and audited.
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { nas, radiusSessions, SECRET_PURPOSE, writeAudit, type Executor } from '@kasi/db';
import { notFound } from '@kasi/domain';
import { sendDisconnect, type AttributeInput, type DynamicAuthorizationResult } from '@kasi/radius';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';

type SessionRow = typeof radiusSessions.$inferSelect;

export async function listOpenSessions(app: AppContext, actor: Actor, limit = 500) {
  requirePermission(actor, 'session.read');
  return app.db
    .select({ session: radiusSessions, nasName: nas.name })
    .from(radiusSessions)
    .innerJoin(nas, eq(nas.id, radiusSessions.nasId))
    .where(and(eq(radiusSessions.tenantId, actor.tenantId), isNull(radiusSessions.stoppedAt)))
    .orderBy(desc(radiusSessions.startedAt))
    .limit(limit);
}

async function disconnect(app: AppContext, db: Executor, s: SessionRow): Promise<DynamicAuthorizationResult> {
  const [router] = await db.select().from(nas).where(eq(nas.id, s.nasId));
  if (!router) throw notFound('NAS.NOT_FOUND', 'The session’s router is gone');
  const secret = await app.keyring.decrypt(db, router.tenantId, SECRET_PURPOSE.nasSecret, router.secretEnc);
  const attributes: AttributeInput[] = [
    ['User-Name', s.userName],
    ['Acct-Session-Id', s.acctSessionId],
  ];
  if (s.framedIp) attributes.push(['Framed-IP-Address', s.framedIp]);
  return sendDisconnect({
    host: router.address,
    port: router.coaPort,
    secret,
    attributes,
    timeoutMs: 1000,
    retries: 2,
  });
}

export async function kickSession(app: AppContext, actor: Actor, sessionId: bigint) {
  requirePermission(actor, 'session.kick');
  const [s] = await app.db
    .select()
    .from(radiusSessions)
    .where(and(eq(radiusSessions.tenantId, actor.tenantId), eq(radiusSessions.id, sessionId)));
  if (!s) throw notFound('SESSION.NOT_FOUND', 'No such session');
  const result = await disconnect(app, app.db, s);
  await writeAudit(app.db, {
    ...auditActor(actor),
    action: 'session.kick',
    entityType: 'radius_session',
    entityId: String(s.id),
    after: { userName: s.userName, result: result.status },
  });
  return result;
}

/** Ends every open session of these user names (after a suspension), best effort. */
export async function disconnectUsers(app: AppContext, actor: Actor, userNames: string[]) {
  if (!userNames.length) return [];
  const open = await app.db
    .select()
    .from(radiusSessions)
    .where(
      and(
        eq(radiusSessions.tenantId, actor.tenantId),
        inArray(radiusSessions.userName, userNames),
        isNull(radiusSessions.stoppedAt),
      ),
    );
  return Promise.all(open.map(async (s) => ({ sessionId: s.id, result: await disconnect(app, app.db, s) })));
}
