// Subscriber accounts (PPPoE / hotspot): create, read, edit, reset the password. Passwords
// are encrypted under the tenant key and shown once, in the answer that set them.
import { and, eq, sql } from 'drizzle-orm';
import { plans, subscribers, SECRET_PURPOSE, writeAudit, type Executor } from '@kasi/db';
import {
  conflict,
  notFound,
  subscriberInput,
  subscriberUpdateInput,
  type SubscriberInput,
  type SubscriberUpdate,
  type SubscriberValues,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { getPlan } from '../plans/plan.service.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { auditView, byId, lockSubscriber, publicColumns, type SubscriberRow } from './subscriber-columns.ts';
import { generateSubscriberPassword } from './subscriber-password.ts';

export { setSubscriberStatus } from './subscriber-status.service.ts';

type NewSubscriber = Omit<SubscriberValues, 'password'> & { password: string };

/**
 * Inserts parsed subscribers (no audit), 500 rows a statement: shared by create and the CSV
 * import. A 5,000-row import takes about 3 s on the 2-core CI machine.
 */
export async function insertSubscribers(
  app: AppContext,
  tx: Executor,
  actor: Actor,
  values: NewSubscriber[],
): Promise<SubscriberRow[]> {
  const rows = [];
  for (const { password, ...rest } of values) {
    const passwordEnc = await app.keyring.encrypt(
      tx,
      actor.tenantId,
      SECRET_PURPOSE.subscriberPassword,
      password,
    );
    rows.push({ ...rest, tenantId: actor.tenantId, passwordEnc });
  }
  const inserted: SubscriberRow[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    inserted.push(
      ...(await tx
        .insert(subscribers)
        .values(rows.slice(i, i + 500))
        .returning(publicColumns)),
    );
  }
  return inserted;
}

/** Creates an account; the answer carries the password (given or generated), shown once. */
export async function addSubscriber(app: AppContext, actor: Actor, input: SubscriberInput) {
  requirePermission(actor, 'subscriber.write');
  const values = subscriberInput.parse(input);
  await getPlan(app, actor, values.planId);
  const password = values.password ?? generateSubscriberPassword();
  const subscriber = await app.db.transaction(async (tx) => {
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
    const [row] = await insertSubscribers(app, tx, actor, [{ ...values, password }]);
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
  return { subscriber, password };
}

/** The account without its password (for callers that set one themselves). */
export async function createSubscriber(app: AppContext, actor: Actor, input: SubscriberInput) {
  return (await addSubscriber(app, actor, input)).subscriber;
}

export async function getSubscriber(app: AppContext, actor: Actor, id: string) {
  requirePermission(actor, 'subscriber.read');
  const [row] = await app.db
    .select({ subscriber: publicColumns, planName: plans.name })
    .from(subscribers)
    .innerJoin(plans, eq(plans.id, subscribers.planId))
    .where(byId(actor, id));
  if (!row) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
  return row;
}

export async function updateSubscriber(app: AppContext, actor: Actor, input: SubscriberUpdate) {
  requirePermission(actor, 'subscriber.write');
  const { id, ...changes } = subscriberUpdateInput.parse(input);
  if (changes.planId) await getPlan(app, actor, changes.planId);
  return app.db.transaction(async (tx) => {
    const before = await lockSubscriber(tx, actor, id);
    const [after] = await tx
      .update(subscribers)
      .set({ ...changes, updatedAt: new Date() })
      .where(byId(actor, id))
      .returning(publicColumns);
    if (!after) throw notFound('SUBSCRIBER.NOT_FOUND', 'No such subscriber');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'subscriber.update',
      entityType: 'subscriber',
      entityId: id,
      // Which fields changed, not their values: some are personal data.
      before: auditView(before),
      after: { ...auditView(after), changed: Object.keys(changes).sort() },
    });
    return after;
  });
}

/** A new password (generated unless given), shown once in the answer. Live sessions keep running. */
export async function resetSubscriberPassword(
  app: AppContext,
  actor: Actor,
  input: { id: string; password?: string | undefined },
) {
  requirePermission(actor, 'subscriber.write');
  const password = input.password ?? generateSubscriberPassword();
  await app.db.transaction(async (tx) => {
    await lockSubscriber(tx, actor, input.id);
    const passwordEnc = await app.keyring.encrypt(
      tx,
      actor.tenantId,
      SECRET_PURPOSE.subscriberPassword,
      password,
    );
    await tx.update(subscribers).set({ passwordEnc, updatedAt: new Date() }).where(byId(actor, input.id));
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'subscriber.password_reset',
      entityType: 'subscriber',
      entityId: input.id,
    });
  });
  return { password };
}
