// A change plan's typed operations as rows a person can check: for each operation what
// happens where, and per setting the value before and after. Secrets arrive masked.
import type { RouterOp } from '@kasi/domain';
import type { ChangePlanStatus } from './api.ts';

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
