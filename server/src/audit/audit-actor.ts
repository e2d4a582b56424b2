// The who-and-where part of every audit row, from the acting operator.
import type { Actor } from '../app-context.ts';

export function auditActor(actor: Actor) {
  return {
    tenantId: actor.tenantId,
    actorUserId: actor.userId,
    actor: actor.label,
    requestId: actor.requestId,
  };
}
