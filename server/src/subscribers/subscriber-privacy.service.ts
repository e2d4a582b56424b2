// A subscriber's data belongs to the operator's customer: export everything Kasi holds on
// them, or erase it. Erasure deletes the account and strips identifying fields from its
// accounting (usage totals stay for the operator's books). A customer who was billed keeps a
// row, because invoices, payments and the ledger must stay (tax law, the books): that row is
// emptied of everything that identifies them instead. Both are audited without copying the
// personal data into the audit trail.
import { createHash } from 'node:crypto';
import { and, eq, getTableColumns } from 'drizzle-orm';
import { invoices, isForeignKeyViolation, payments, radiusSessions, subscribers, writeAudit } from '@kasi/db';
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
  const [bills, paid] = await Promise.all([
    app.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, actor.tenantId), eq(invoices.subscriberId, id))),
    app.db
      .select()
      .from(payments)
      .where(and(eq(payments.tenantId, actor.tenantId), eq(payments.subscriberId, id))),
  ]);
  return { exportedAt: new Date(), subscriber, sessions, invoices: bills, payments: paid };
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
    const where = and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.id, id));
    // Try the delete in a savepoint: any money record pointing at the customer (invoices,
    // payments, ledger, attempts — whatever tables come later) makes it fail, and then the
    // row is kept but emptied.
    const deleted = await tx
      .transaction(
        async (sp) => (await sp.delete(subscribers).where(where).returning({ id: subscribers.id })).length,
      )
      .catch((e: unknown) => {
        if (isForeignKeyViolation(e)) return 0;
        throw e;
      });
    if (!deleted) {
      await tx
        .update(subscribers)
        .set({
          username: pseudonym,
          // Nothing can log in as an erased customer: no password, and terminated.
          passwordEnc: '',
          status: 'terminated',
          statusReason: 'erased',
          statusChangedAt: new Date(),
          statusChangedBy: actor.label,
          macAddress: null,
          framedIp: null,
          fullName: null,
          phone: null,
          email: null,
          address: null,
          latitude: null,
          longitude: null,
          tags: [],
          notes: null,
        })
        .where(where);
    }
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'subscriber.erase',
      entityType: 'subscriber',
      entityId: id,
      after: { sessionsAnonymised: stripped.length, keptForBilling: !deleted },
    });
    return { erased: true, sessionsAnonymised: stripped.length, keptForBilling: !deleted };
  });
}
