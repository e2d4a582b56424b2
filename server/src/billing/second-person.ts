// The two-person rule, as router change plans apply it: whoever asked for a sensitive
// change may not approve it too. Credit notes and write-offs above the tenant's threshold
// wait for a second operator holding `change.approve`.
import { forbidden } from '@kasi/domain';
import type { Actor } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';

export function needsSecondPerson(amountMinor: bigint, thresholdMinor: bigint | null): boolean {
  return thresholdMinor !== null && amountMinor > thresholdMinor;
}

export function requireSecondPerson(actor: Actor, requestedBy: string | null): void {
  requirePermission(actor, 'change.approve');
  // A CLI actor (no user) cannot be the second person: the rule needs two people.
  if (actor.userId === null || actor.userId === requestedBy) {
    throw forbidden('BILLING.SELF_APPROVAL', 'Another operator must approve what you requested');
  }
}
