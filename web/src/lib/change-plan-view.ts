// A change plan as a person checks it: for each operation what happens where, and per
// setting the value before and after (secrets arrive masked); the next step; and in plain
// words whether RouterOS safe mode or Kasi's inverse operations protect (or protected) it.
import { expectedSafeMode, SAFE_MODE_MAX_OPS, SAFE_MODE_MIN_ROUTEROS, type RouterOp } from '@kasi/domain';
import type { ChangePlan, ChangePlanStatus } from './api.ts';

/** How the server masks secrets in a preview (sealed-values.ts). */
export const MASKED = '••••••••';

export interface DiffLine {
  key: string;
  before: string | null;
  after: string | null;
  /** A masked secret counts as changed: it is written, and nobody can compare it here. */
  changed: boolean;
}

export interface OpView {
  kind: RouterOp['kind'];
  verb: string;
  path: string;
  /** Which row: "*3" for a table row, null for a singleton or a new row. */
  target: string | null;
  lines: DiffLine[];
}

const VERBS: Record<RouterOp['kind'], string> = { add: 'Add', set: 'Change', remove: 'Remove' };

export function viewOp(op: RouterOp): OpView {
  const base = { kind: op.kind, verb: VERBS[op.kind], path: op.path };
  if (op.kind === 'add') {
    const lines = Object.entries(op.values).map(([key, v]) => ({
      key,
      before: null,
      after: v,
      changed: true,
    }));
    return { ...base, target: null, lines };
  }
  if (op.kind === 'remove') {
    const lines = Object.entries(op.before).map(([key, v]) => ({
      key,
      before: v,
      after: null,
      changed: true,
    }));
    return { ...base, target: op.id, lines };
  }
  const lines = Object.entries(op.values).map(([key, after]) => {
    const before = op.before[key] ?? '';
    return { key, before, after, changed: before !== after || after === MASKED };
  });
  return { ...base, target: op.id, lines };
}

export type PlanAction = 'approve' | 'reject' | 'apply' | 'rollback';

/** What can be done next; the server checks again (roles, two-person approval, races). */
export function planActions(status: ChangePlanStatus): PlanAction[] {
  if (status === 'pending') return ['approve', 'reject'];
  if (status === 'approved') return ['apply'];
  if (status === 'applied') return ['rollback'];
  return [];
}

/** The status an action leads to when everything goes to plan. */
export const EXPECTED_STATUS: Record<PlanAction, ChangePlanStatus> = {
  approve: 'approved',
  reject: 'rejected',
  apply: 'applied',
  rollback: 'rolled_back',
};

type PlanSafety = NonNullable<ChangePlan['operations']['safety']>;

export interface SafetyView {
  /** One line: how the router is (or was) protected against a half-applied plan. */
  summary: string;
  /** Why, what undid a failure, and whether Kasi checked the router afterwards. */
  details: string[];
  tone: 'ok' | 'warn' | 'danger' | '';
}

export interface SafetyFacts {
  status: ChangePlanStatus;
  safety: PlanSafety | undefined;
  opCount: number;
  /** The router's RouterOS version as last read, if Kasi has read it. */
  routerVersion: string | undefined;
}

const INVERSE_HOW =
  'If a step fails, Kasi writes the opposite of each change it made, newest first. A connection lost half-way can leave the router partly changed.';

/**
 * Before applying: what the server will use, and why not safe mode when it will not. The
 * server decides with the same rule (@kasi/domain safe-mode.ts); this only forecasts it.
 */
export function forecastSafety(opCount: number, routerVersion: string | undefined): SafetyView {
  const without = 'Without safe mode: Kasi undoes a failure itself';
  const expected = expectedSafeMode({ version: routerVersion, opCount });
  if (expected.reason === 'too-many-ops') {
    const why = `This plan makes ${opCount} changes, more than the ${SAFE_MODE_MAX_OPS} Kasi applies in RouterOS safe mode (the router keeps only 100 undo steps, shared with other sessions).`;
    return { summary: without, details: [why, INVERSE_HOW], tone: 'warn' };
  }
  if (expected.reason === 'version-unknown') {
    const why = `Kasi has not read this router’s RouterOS version yet. On ${SAFE_MODE_MIN_ROUTEROS} or later it applies the plan in safe mode; on older versions it undoes a failure with inverse operations.`;
    return { summary: 'Safe mode if the router has it', details: [why], tone: '' };
  }
  if (expected.reason === 'routeros-too-old') {
    const why = `RouterOS ${routerVersion} is older than ${SAFE_MODE_MIN_ROUTEROS}, the first version with safe mode in its API.`;
    return { summary: without, details: [why, INVERSE_HOW], tone: 'warn' };
  }
  return {
    summary: 'In RouterOS safe mode',
    details: [
      'If a step fails, the check afterwards fails or the connection drops, the router itself undoes the whole plan.',
      'If another session holds safe mode on the router, Kasi stops without changing anything.',
    ],
    tone: 'ok',
  };
}

const fallbackLine = (s: PlanSafety) => (s.fallback ? [`Safe mode was not used: ${s.fallback}.`] : []);
const noteLine = (s: PlanSafety) => (s.note ? [`Details: ${s.note}.`] : []);
const appliedIn = (s: PlanSafety) =>
  s.mode === 'safe-mode' ? 'Applied in RouterOS safe mode' : 'Applied without safe mode';
const VERIFIED_BEFORE = 'Verified: Kasi re-read the router and it matches how it was before the plan.';
const UNVERIFIED_INVERSE =
  'Not verified: Kasi did not re-read the router after undoing. Check that it is as it was before the plan.';

/** An apply that failed: what undid it, and whether the router was seen back as it was. */
function undoneView(status: 'rolled_back' | 'failed', s: PlanSafety): SafetyView {
  const extra = [...fallbackLine(s), ...noteLine(s)];
  if (s.undoneBy === 'safe-mode') {
    if (status === 'rolled_back')
      return {
        summary: 'Undone by the router’s safe mode',
        details: [VERIFIED_BEFORE, ...extra],
        tone: 'ok',
      };
    const unverified =
      'Not verified: the router was asked to undo the plan, but Kasi could not re-read it afterwards. Check the router before trying again.';
    return {
      summary: 'Undo by the router’s safe mode not confirmed',
      details: [unverified, ...extra],
      tone: 'danger',
    };
  }
  const why =
    s.mode === 'safe-mode'
      ? 'Safe mode did not bring the router back as it was, so Kasi wrote the opposite of each change it had made.'
      : 'Kasi wrote the opposite of each change it had made, newest first.';
  if (status === 'rolled_back')
    return {
      summary: 'Undone by Kasi’s inverse operations',
      details: [why, UNVERIFIED_INVERSE, ...extra],
      tone: 'warn',
    };
  const partly =
    'Not verified: the inverse operations stopped part-way, so the router may be partly changed.';
  return { summary: 'Kasi’s inverse operations failed', details: [why, partly, ...extra], tone: 'danger' };
}

/** After an apply: what protected it and what the operator can rely on now. */
function outcomeView(status: ChangePlanStatus, s: PlanSafety): SafetyView | null {
  if (status === 'applied') {
    const verified = 'Verified: the router shows the planned settings.';
    const released =
      s.mode === 'safe-mode' ? ['Safe mode was released after the check, so the changes stay.'] : [];
    return { summary: appliedIn(s), details: [verified, ...released, ...fallbackLine(s)], tone: 'ok' };
  }
  if (status === 'aborted')
    return { summary: 'Stopped before changing anything', details: fallbackLine(s), tone: '' };
  if (status !== 'rolled_back' && status !== 'failed') return null;
  if (s.undoneBy) return undoneView(status, s);
  // No undo recorded: the apply went through and an operator rolled it back later.
  const later =
    status === 'rolled_back'
      ? 'Rolled back later by an operator. How that roll back was protected is in the audit log.'
      : 'The roll back did not complete. Not verified: the router may still have some of this plan’s changes.';
  return {
    summary: `${appliedIn(s)}, then rolled back`,
    details: [later, ...fallbackLine(s)],
    tone: status === 'failed' ? 'danger' : '',
  };
}

/** What the plan page says about safe mode; null when there is nothing to say. */
export function viewSafety(f: SafetyFacts): SafetyView | null {
  if (f.status === 'pending' || f.status === 'approved') return forecastSafety(f.opCount, f.routerVersion);
  // Plans applied before Kasi recorded this, or stopped before reaching the router.
  return f.safety ? outcomeView(f.status, f.safety) : null;
}
