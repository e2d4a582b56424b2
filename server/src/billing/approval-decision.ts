// A second operator's decision on a credit note or write-off waiting for approval, taken the
// same way for both: the permission and the two-person rule before anything is read for
// change, the move out of 'pending' under the subscriber's money lock (so a decision races
// neither a payment nor a second decision), and the audit in the same transaction.
import { writeAudit } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { withSubscriberMoney, type MoneyContext, type Tx } from './billing-tx.ts';
import { requireSecondPerson } from './second-person.ts';

export type Decision = 'approve' | 'reject';

export interface PendingRequest<T> {
  decision: Decision;
  /** Audited as `<action>.approve` / `<action>.reject` on entity `entityType` `id`. */
  action: string;
  entityType: string;
  id: string;
  /** The request in the actor's tenant; throws the service's own not-found error. */
  find(tx: Tx): Promise<{ subscriberId: string; requestedBy: string | null }>;
  /** Moves the request out of 'pending' (a conflict when it no longer is) and applies an approval. */
  decide(m: MoneyContext): Promise<T>;
  /** The id that may have cleared the subscriber's balance, if the decision settled anything. */
  cause(row: T): string | null;
  audited(row: T): unknown;
}

/** The approval column once decided. */
export const decidedApproval = (d: Decision) => (d === 'approve' ? 'approved' : 'rejected');

export async function decidePending<T>(app: AppContext, actor: Actor, r: PendingRequest<T>): Promise<T> {
  requirePermission(actor, 'change.approve');
  return app.db.transaction(async (tx) => {
    const head = await r.find(tx);
    requireSecondPerson(actor, head.requestedBy);
    const row = await withSubscriberMoney(tx, actor.tenantId, head.subscriberId, r.decide, r.cause);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: `${r.action}.${r.decision}`,
      entityType: r.entityType,
      entityId: r.id,
      after: r.audited(row),
    });
    return row;
  });
}
