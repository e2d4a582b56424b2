// Applies a change plan to a router: re-read and abort on drift, apply the operations in
// order, verify the router now shows the desired state, and undo everything applied so
// far when any step fails. The caller records each outcome in the audit log.
import {
  findDrift,
  inverseOps,
  unmetRows,
  type AppliedOp,
  type DesiredRow,
  type RouterOp,
  type SnapshotRow,
} from '@kasi/domain';
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

async function runOp(client: RouterClient, op: RouterOp): Promise<AppliedOp> {
  if (op.kind === 'add') return { ...op, createdId: await client.add(op.path, op.values) };
  if (op.kind === 'set') {
    if (op.id === null) await client.setSingleton(op.path, op.values);
    else await client.set(op.path, op.id, op.values);
    return op;
  }
  await client.remove(op.path, op.id);
  return op;
}

export type ApplyOutcome =
  | { status: 'applied'; applied: AppliedOp[] }
  | { status: 'aborted'; reason: string }
  | { status: 'rolled_back'; reason: string; applied: AppliedOp[] }
  | { status: 'failed'; reason: string; applied: AppliedOp[]; rollbackError: string };

export interface ApplyInput {
  snapshot: SnapshotRow[];
  operations: RouterOp[];
  desired: DesiredRow[] | null;
  paths: readonly string[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function applyPlan(client: RouterClient, plan: ApplyInput): Promise<ApplyOutcome> {
  const drift = findDrift(plan.snapshot, await readSnapshot(client, plan.paths), plan.operations);
  if (drift.length)
    return { status: 'aborted', reason: `The router changed since the plan was made: ${drift.join('; ')}` };
  const applied: AppliedOp[] = [];
  let reason: string;
  try {
    for (const op of plan.operations) applied.push(await runOp(client, op));
    const unmet = plan.desired ? unmetRows(await readSnapshot(client, plan.paths), plan.desired) : [];
    if (!unmet.length) return { status: 'applied', applied };
    reason = `Verification failed: ${unmet.join('; ')}`;
  } catch (e) {
    reason = message(e);
  }
  try {
    for (const op of inverseOps(applied)) await runOp(client, op);
    return { status: 'rolled_back', reason, applied };
  } catch (e) {
    return { status: 'failed', reason, applied, rollbackError: message(e) };
  }
}
