// Subscriber accounts (PPPoE / hotspot). Passwords are encrypted, never returned; status
// changes (suspend, disable, restore) are audited and take effect at the next login.
import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { subscribers, SECRET_PURPOSE, writeAudit } from '@kasi/db';
import {
  conflict,
  notFound,
  subscriberInput,
  subscriberStatusInput,
  type SubscriberInput,
} from '@kasi/domain';
import type { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { getPlan } from '../plans/plan.service.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { disconnectUsers } from '../sessions/session.service.ts';

// Every column but the password: nothing that leaves this service carries it.
const { passwordEnc: _hidden, ...publicColumns } = getTableColumns(subscribers);

/**
 * What the audit trail keeps of a subscriber: no name, phone, MAC or address. The chain cannot
 * be edited, so personal data there would outlive an erasure request.
 */
function auditView(s: {
  id: string;
  planId: string;
  status: string;
  statusReason: string | null;
  service: string;
}) {
  return { id: s.id, planId: s.planId, status: s.status, statusReason: s.statusReason, service: s.service };
}

export async function createSubscriber(app: AppContext, actor: Actor, input: SubscriberInput) {
  requirePermission(actor, 'subscriber.write');
  const { password, ...values } = subscriberInput.parse(input);
  await getPlan(app, actor, values.planId);
  return app.db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(
        and(
          eq(subscribers.tenantId, actor.tenantId),
          sql`lower(${subscribers.username}) = lower(${values.username})`,
        ),
      );
    if (taken) throw conflict('SUBSCRIBER.USERNAME_TAKEN', `The user name "${values.username}" is taken`);
    const passwordEnc = await app.keyring.encrypt(
      tx,
      actor.tenantId,
      SECRET_PURPOSE.subscriberPassword,
      password,
    );
    const [row] = await tx
      .insert(subscribers)
      .values({ ...values, tenantId: actor.tenantId, passwordEnc })
      .returning(publicColumns);
    if (!row) throw new Error('insert returned nothing');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'subscriber.create',
      entityType: 'subscriber',
      entityId: row.id,
      after: auditView(row),
    });
    return row;
  });
}

export async function listSubscribers(app: AppContext, actor: Actor) {
  requirePermission(actor, 'subscriber.read');
  return app.db
    .select(publicColumns)
    .from(subscribers)
    .where(eq(subscribers.tenantId, actor.tenantId))
    .orderBy(asc(subscribers.username));
}

export async function setSubscriberStatus(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof subscriberStatusInput>,
) {
  requirePermission(actor, 'subscriber.write');
  const { id, status, reason } = subscriberStatusInput.parse(input);
  const subscriber = await app.db.transaction(async (tx) => {
    const where = and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.id, id));
    const [before] = await tx.select(publicColumns).from(subscribers).where(where).for('update');
    if (!before) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
    const [after] = await tx
      .update(subscribers)
      .set({ status, statusReason: reason, updatedAt: new Date() })
      .where(where)
      .returning(publicColumns);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: `subscriber.${status}`,
      entityType: 'subscriber',
      entityId: id,
      before: auditView(before),
      after: after && auditView(after),
    });
    return after ?? before;
  });
  // After commit: live sessions end, so the next login meets the new status (reject or walled garden).
  const disconnects = status === 'active' ? [] : await disconnectUsers(app, actor, [subscriber.username]);
  return { subscriber, disconnects };
}
