// Who may decide what waits for approval, in one place: the server refuses with these rules and
// the console shows the same controls disabled with the same reason before anyone presses them.
import { can, type Role } from './roles.ts';

export interface Decider {
  role: Role;
  /** null: not a person (the CLI), who can never be the second person. */
  userId: string | null;
}

/**
 * A router change plan: with two-person approval on, whoever proposed it may not approve it.
 * Reject stays open to them (withdrawing one's own proposal is not risky).
 */
export function changePlanApprovalRefusal(
  who: Decider,
  plan: { requestedBy: string | null },
  twoPersonApproval: boolean,
): string | null {
  if (!can(who.role, 'change.approve')) return `Your role (${who.role}) cannot approve change plans.`;
  if (twoPersonApproval && plan.requestedBy === who.userId)
    return 'Two-person approval is on: someone other than the person who proposed this plan must approve it.';
  return null;
}

/** Applying or rolling back a plan writes to the router. */
export function changePlanWriteRefusal(who: Decider): string | null {
  return can(who.role, 'router.write') ? null : `Your role (${who.role}) cannot change routers.`;
}

/** A credit note or write-off waiting above the threshold: always a second person, either decision. */
export function billingDecisionRefusal(who: Decider, pending: { requestedBy: string | null }): string | null {
  if (!can(who.role, 'change.approve'))
    return `Your role (${who.role}) cannot approve credit notes or write-offs.`;
  if (who.userId === null || who.userId === pending.requestedBy)
    return 'You asked for this: another person must approve or reject it.';
  return null;
}
