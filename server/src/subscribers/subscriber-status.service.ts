// Suspend, resume, terminate. The status is what radiusd reads at the next login (suspended:
// refused, or admitted to the plan's walled garden; terminated: refused). Live sessions are
// then ended with a Disconnect-Request through the session kick path, so the router logs the
// customer in again into the new state — also on resume, to leave the walled garden at once.
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { radiusSessions, subscribers, writeAudit, type Transaction } from '@kasi/db';
import {
  conflict,
  subscriberReasonInput,
  subscriberResumeInput,
  subscriberStatusInput,
  type SubscriberState,
} from '@kasi/domain';
import type { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { restartPeriodAfterSuspension } from '../billing/billing-period-restart.ts';
import { kickSession } from '../sessions/session.service.ts';
import { auditView, byId, lockSubscriber, publicColumns, type SubscriberRow } from './subscriber-columns.ts';

/** Which status may follow which. Terminated is final: a returning customer gets a new account. */
const NEXT: Record<string, readonly SubscriberState[]> = {
  active: ['suspended', 'terminated'],
  suspended: ['active', 'terminated'],
  disabled: [],
  terminated: [],
};

/**
 * Lets a system caller (billing's dunning and restore) decide under the subscriber's lock
 * whether the change still applies — false leaves everything as it is, with no error — and
 * write its own rows in the same transaction.
 */
export interface StatusGuard {
  allow(tx: Transaction, before: SubscriberRow): Promise<boolean>;
}

export async function setSubscriberStatus(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof subscriberStatusInput>,
  guard?: StatusGuard,
) {
  requirePermission(actor, 'subscriber.write');
  const { id, status, reason } = subscriberStatusInput.parse(input);
  let changed = true;
  const subscriber = await app.db.transaction(async (tx) => {
    const before = await lockSubscriber(tx, actor, id);
    if (guard && !(await guard.allow(tx, before))) {
      changed = false;
      return before;
    }
    if (!NEXT[before.status]?.includes(status)) {
      throw conflict('SUBSCRIBER.BAD_TRANSITION', `A ${before.status} account cannot become ${status}`, {
        from: before.status,
        to: status,
      });
    }
    const [after] = await tx
      .update(subscribers)
      .set({
        status,
        statusReason: reason,
        statusChangedAt: new Date(),
        statusChangedBy: actor.label,
        updatedAt: new Date(),
      })
      .where(byId(actor, id))
      .returning(publicColumns);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: `subscriber.${status}`,
      entityType: 'subscriber',
      entityId: id,
      before: auditView(before),
      after: after && auditView(after),
    });
    // No invoices pile up while suspended: a resumed account's next period starts now.
    if (before.status === 'suspended' && status === 'active') {
      await restartPeriodAfterSuspension(tx, actor.tenantId, id, new Date());
    }
    return after ?? before;
  });
  if (!changed) return { subscriber, disconnects: [], changed };
  // After commit, so the re-authentication the Disconnect causes already meets the new status.
  const disconnects = await disconnectSubscriber(app, actor, subscriber);
  return { subscriber, disconnects, changed };
}

/** Ends every open session of the account on any NAS (matched by account id or user name). */
async function disconnectSubscriber(app: AppContext, actor: Actor, s: SubscriberRow) {
  const open = await app.db
    .select({ id: radiusSessions.id })
    .from(radiusSessions)
    .where(
      and(
        eq(radiusSessions.tenantId, actor.tenantId),
        isNull(radiusSessions.stoppedAt),
        or(
          eq(radiusSessions.subscriberId, s.id),
          sql`lower(${radiusSessions.userName}) = lower(${s.username})`,
        ),
      ),
    );
  return Promise.all(
    open.map(async ({ id }) => {
      try {
        return { sessionId: id, result: await kickSession(app, actor, id) };
      } catch (e) {
        // The status change stands; the operator sees the session was not reached.
        app.log.warn({ err: e, sessionId: String(id) }, 'disconnect after a status change failed');
        return { sessionId: id, result: { status: 'error' as const } };
      }
    }),
  );
}

export const suspendSubscriber = (
  app: AppContext,
  actor: Actor,
  input: z.input<typeof subscriberReasonInput>,
) => {
  const { id, reason } = subscriberReasonInput.parse(input);
  return setSubscriberStatus(app, actor, { id, status: 'suspended', reason });
};

export const terminateSubscriber = (
  app: AppContext,
  actor: Actor,
  input: z.input<typeof subscriberReasonInput>,
) => {
  const { id, reason } = subscriberReasonInput.parse(input);
  return setSubscriberStatus(app, actor, { id, status: 'terminated', reason });
};

export const resumeSubscriber = (
  app: AppContext,
  actor: Actor,
  input: z.input<typeof subscriberResumeInput>,
) => {
  const { id, reason } = subscriberResumeInput.parse(input);
  return setSubscriberStatus(app, actor, { id, status: 'active', reason });
};
