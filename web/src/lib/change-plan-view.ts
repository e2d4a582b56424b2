// A change plan as a person checks it: for each operation what happens where, and per
// setting the value before and after (secrets arrive masked); the next step; and in plain
// words whether RouterOS safe mode or Kasi's inverse operations protect (or protected) it.
import { expectedSafeMode, SAFE_MODE_MAX_OPS, SAFE_MODE_MIN_ROUTEROS, type RouterOp } from '@kasi/domain';
import type { ChangePlan, ChangePlanStatus } from './api.ts';
import { m } from './i18n/locale.ts';

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

const VERBS: Record<RouterOp['kind'], () => string> = {
  add: m.console_routers_verb_add,
  set: m.console_routers_verb_set,
  remove: m.console_routers_verb_remove,
};

export function viewOp(op: RouterOp): OpView {
  const base = { kind: op.kind, verb: VERBS[op.kind](), path: op.path };
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

const INVERSE_HOW = () => m.console_routers_safety_inverse_how();

/**
 * Before applying: what the server will use, and why not safe mode when it will not. The
 * server decides with the same rule (@kasi/domain safe-mode.ts); this only forecasts it.
 */
export function forecastSafety(opCount: number, routerVersion: string | undefined): SafetyView {
  const without = m.console_routers_safety_without();
  const expected = expectedSafeMode({ version: routerVersion, opCount });
  if (expected.reason === 'too-many-ops') {
    const why = m.console_routers_safety_too_many({ count: opCount, max: SAFE_MODE_MAX_OPS });
    return { summary: without, details: [why, INVERSE_HOW()], tone: 'warn' };
  }
  if (expected.reason === 'version-unknown') {
    const why = m.console_routers_safety_version_unknown({ min: SAFE_MODE_MIN_ROUTEROS });
    return { summary: m.console_routers_safety_if_router_has_it(), details: [why], tone: '' };
  }
  if (expected.reason === 'routeros-too-old') {
    const why = m.console_routers_safety_too_old({
      version: routerVersion ?? '',
      min: SAFE_MODE_MIN_ROUTEROS,
    });
    return { summary: without, details: [why, INVERSE_HOW()], tone: 'warn' };
  }
  return {
    summary: m.console_routers_safety_in_safe_mode(),
    details: [m.console_routers_safety_router_undoes(), m.console_routers_safety_other_session()],
    tone: 'ok',
  };
}

const fallbackLine = (s: PlanSafety) =>
  s.fallback ? [m.console_routers_safety_fallback({ reason: s.fallback })] : [];
const noteLine = (s: PlanSafety) => (s.note ? [m.console_routers_safety_details({ note: s.note })] : []);
const appliedIn = (s: PlanSafety) =>
  s.mode === 'safe-mode'
    ? m.console_routers_safety_applied_safe()
    : m.console_routers_safety_applied_without();
const VERIFIED_BEFORE = () => m.console_routers_safety_verified_before();
const UNVERIFIED_INVERSE = () => m.console_routers_safety_unverified_inverse();

/** An apply that failed: what undid it, and whether the router was seen back as it was. */
function undoneView(status: 'rolled_back' | 'failed', s: PlanSafety): SafetyView {
  const extra = [...fallbackLine(s), ...noteLine(s)];
  if (s.undoneBy === 'safe-mode') {
    if (status === 'rolled_back')
      return {
        summary: m.console_routers_safety_undone_safe(),
        details: [VERIFIED_BEFORE(), ...extra],
        tone: 'ok',
      };
    const unverified = m.console_routers_safety_unverified_safe();
    return {
      summary: m.console_routers_safety_undo_unconfirmed(),
      details: [unverified, ...extra],
      tone: 'danger',
    };
  }
  const why =
    s.mode === 'safe-mode'
      ? m.console_routers_safety_why_safe_failed()
      : m.console_routers_safety_why_inverse();
  if (status === 'rolled_back')
    return {
      summary: m.console_routers_safety_undone_inverse(),
      details: [why, UNVERIFIED_INVERSE(), ...extra],
      tone: 'warn',
    };
  const partly = m.console_routers_safety_partly();
  return {
    summary: m.console_routers_safety_inverse_failed(),
    details: [why, partly, ...extra],
    tone: 'danger',
  };
}

/** After an apply: what protected it and what the operator can rely on now. */
function outcomeView(status: ChangePlanStatus, s: PlanSafety): SafetyView | null {
  if (status === 'applied') {
    const verified = m.console_routers_safety_verified_planned();
    const released = s.mode === 'safe-mode' ? [m.console_routers_safety_released()] : [];
    return { summary: appliedIn(s), details: [verified, ...released, ...fallbackLine(s)], tone: 'ok' };
  }
  if (status === 'aborted')
    return { summary: m.console_routers_safety_stopped(), details: fallbackLine(s), tone: '' };
  if (status !== 'rolled_back' && status !== 'failed') return null;
  if (s.undoneBy) return undoneView(status, s);
  // No undo recorded: the apply went through and an operator rolled it back later.
  const later =
    status === 'rolled_back'
      ? m.console_routers_safety_rolled_back_later()
      : m.console_routers_safety_rollback_incomplete();
  return {
    summary: m.console_routers_safety_then_rolled_back({ applied: appliedIn(s) }),
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
