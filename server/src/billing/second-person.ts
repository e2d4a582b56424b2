// The two-person rule, as router change plans apply it: whoever asked for a sensitive
// change may not approve it too. Credit notes and write-offs above the tenant's threshold
// wait for a second operator holding `change.approve`.
import { billingDecisionRefusal, forbidden } from '@kasi/domain';
import type { Actor } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { loadBillingSettings } from './billing-settings.service.ts';
import type { Tx } from './billing-tx.ts';

function needsSecondPerson(amountMinor: bigint, thresholdMinor: bigint | null): boolean {
  return thresholdMinor !== null && amountMinor > thresholdMinor;
}

/** The approval columns of a new request for `amountMinor`: waiting when above the tenant's threshold. */
export async function requestApproval(
  tx: Tx,
  o: { tenantId: string; amountMinor: bigint; actor: Actor },
): Promise<{ approval: 'pending' | 'none'; requestedBy: string | null }> {
  const settings = await loadBillingSettings(tx, o.tenantId);
  const pending = needsSecondPerson(o.amountMinor, settings.approvalThresholdMinor);
  return { approval: pending ? 'pending' : 'none', requestedBy: o.actor.userId };
}

export function requireSecondPerson(actor: Actor, requestedBy: string | null): void {
  requirePermission(actor, 'change.approve');
  // A CLI actor (no user) cannot be the second person: the rule needs two people.
  const refusal = billingDecisionRefusal(actor, { requestedBy });
  if (refusal) throw forbidden('BILLING.SELF_APPROVAL', refusal);
}
