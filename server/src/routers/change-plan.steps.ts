// The steps both ways of applying a plan share (change-plan.engine.ts, change-plan.safe-mode.ts):
// reading the affected menus, running one operation, running them all and verifying.
import { unmetRows, type AppliedOp, type DesiredRow, type RouterOp, type SnapshotRow } from '@kasi/domain';
import type { RouterClient } from '@kasi/routeros';
import { SINGLETON_PATHS } from './radius-wiring.ts';

export async function readSnapshot(client: RouterClient, paths: readonly string[]): Promise<SnapshotRow[]> {
  const rows: SnapshotRow[] = [];
  for (const path of paths) {
    for (const row of await client.print(path)) {
      const { '.id': id, ...values } = row;
      rows.push({ path, id: SINGLETON_PATHS.has(path) ? null : (id ?? null), values });
    }
  }
  return rows;
}

export async function runOp(client: RouterClient, op: RouterOp): Promise<AppliedOp> {
  if (op.kind === 'add') return { ...op, createdId: await client.add(op.path, op.values) };
  if (op.kind === 'set') {
    if (op.id === null) await client.setSingleton(op.path, op.values);
    else await client.set(op.path, op.id, op.values);
    return op;
  }
  await client.remove(op.path, op.id);
  return op;
}

/** How a plan was protected, for the plan and its audit entries. */
export interface PlanSafety {
  mode: 'safe-mode' | 'inverse-ops';
  /** Why safe mode was not used. */
  fallback?: string;
  /** What undid a failed apply: the router (safe mode) or Kasi's inverse operations. */
  undoneBy?: 'safe-mode' | 'inverse-ops';
  /** What else happened while undoing (unroll failed, the router still differed…). */
  note?: string;
}

export type ApplyOutcome =
  | { status: 'applied'; applied: AppliedOp[]; safety: PlanSafety }
  | { status: 'aborted'; reason: string; safety?: PlanSafety }
  | { status: 'rolled_back'; reason: string; applied: AppliedOp[]; safety: PlanSafety }
  | { status: 'failed'; reason: string; applied: AppliedOp[]; rollbackError: string; safety: PlanSafety };

export interface ApplyInput {
  snapshot: SnapshotRow[];
  operations: RouterOp[];
  desired: DesiredRow[] | null;
  paths: readonly string[];
}

export const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const driftReason = (drift: string[]) =>
  `The router changed since the plan was made: ${drift.join('; ')}`;

/** Runs the operations (recording each in `applied`) and verifies; returns why it failed, if it did. */
export async function applyAndVerify(
  client: RouterClient,
  plan: ApplyInput,
  applied: AppliedOp[],
): Promise<string | undefined> {
  try {
    for (const op of plan.operations) applied.push(await runOp(client, op));
    const unmet = plan.desired ? unmetRows(await readSnapshot(client, plan.paths), plan.desired) : [];
    return unmet.length ? `Verification failed: ${unmet.join('; ')}` : undefined;
  } catch (e) {
    return message(e);
  }
}
