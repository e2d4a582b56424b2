// A subscriber's data belongs to the operator's customer: export everything Kasi holds on
// them, or erase it. Erasure deletes the account and strips identifying fields from its
// accounting (usage totals stay for the operator's books). Both are audited without
// copying the personal data into the audit trail.
import { createHash } from 'node:crypto';
import { and, eq, getTableColumns } from 'drizzle-orm';
import { radiusSessions, subscribers, writeAudit } from '@kasi/db';
import { notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';

const { passwordEnc: _hidden, ...publicColumns } = getTableColumns(subscribers);

async function load(app: AppContext, actor: Actor, id: string) {
  const [s] = await app.db
    .select(publicColumns)
    .from(subscribers)
    .where(and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.id, id)));
  if (!s) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
  return s;
}

export async function exportSubscriber(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'subscriber.write');
  const subscriber = await load(app, actor, id);
  const sessions = await app.db
    .select()
    .from(radiusSessions)
    .where(and(eq(radiusSessions.tenantId, actor.tenantId), eq(radiusSessions.subscriberId, id)));
  await writeAudit(app.db, {
    ...auditActor(actor),
    action: 'subscriber.export',
    entityType: 'subscriber',
    entityId: id,
  });
  return { exportedAt: new Date(), subscriber, sessions };
}

export async function eraseSubscriber(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'subscriber.write');
  const subscriber = await load(app, actor, id);
  const pseudonym = `erased-${createHash('sha256').update(subscriber.id).digest('hex').slice(0, 12)}`;
  return app.db.transaction(async (tx) => {
    const stripped = await tx
      .update(radiusSessions)
      .set({ userName: pseudonym, callingStationId: null, framedIp: null, subscriberId: null })
      .where(and(eq(radiusSessions.tenantId, actor.tenantId), eq(radiusSessions.subscriberId, id)))
      .returning({ id: radiusSessions.id });
    await tx.delete(subscribers).where(and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.id, id)));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'subscriber.erase',
      entityType: 'subscriber',
      entityId: id,
      after: { sessionsAnonymised: stripped.length },
    });
    return { erased: true, sessionsAnonymised: stripped.length };
  });
}
