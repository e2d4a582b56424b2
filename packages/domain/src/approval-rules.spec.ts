import { describe, expect, it } from 'vitest';
import {
  billingDecisionRefusal,
  changePlanApprovalRefusal,
  changePlanWriteRefusal,
} from './approval-rules.ts';

describe('approval rules', () => {
  const me = { role: 'operator' as const, userId: 'u1' };
  it('refuses the proposer under two-person approval, and viewers always', () => {
    expect(changePlanApprovalRefusal(me, { requestedBy: 'u1' }, true)).toMatch(/someone other/);
    expect(changePlanApprovalRefusal(me, { requestedBy: 'u1' }, false)).toBeNull();
    expect(changePlanApprovalRefusal(me, { requestedBy: 'u2' }, true)).toBeNull();
    expect(changePlanApprovalRefusal({ role: 'viewer', userId: 'u2' }, { requestedBy: 'u1' }, false)).toMatch(
      /viewer/,
    );
    expect(changePlanWriteRefusal({ role: 'viewer', userId: 'u2' })).toMatch(/cannot change routers/);
    expect(changePlanWriteRefusal(me)).toBeNull();
  });

  it('needs a second person for billing decisions, never the CLI', () => {
    expect(billingDecisionRefusal(me, { requestedBy: 'u1' })).toMatch(/another person/);
    expect(billingDecisionRefusal({ role: 'owner', userId: null }, { requestedBy: 'u1' })).toMatch(
      /another person/,
    );
    expect(billingDecisionRefusal(me, { requestedBy: 'u2' })).toBeNull();
    expect(billingDecisionRefusal({ role: 'viewer', userId: 'u3' }, { requestedBy: 'u2' })).toMatch(/viewer/);
  });
});
