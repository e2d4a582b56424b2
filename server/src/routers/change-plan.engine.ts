// Applies a change plan to a router: re-read and abort on drift, apply the operations in
// order, verify the router now shows the desired state, and undo everything applied so far
// when any step fails. Inside RouterOS safe mode where the router has it (7.18+), so that the
// router itself undoes a plan cut off half-way; otherwise, and as the fallback, with the
// plan's inverse operations (docs/adr/0008). The caller records each outcome in the audit log.
import {
  expectedSafeMode,
  findDrift,
  inverseOps,
  SAFE_MODE_MAX_OPS,
  SAFE_MODE_MIN_ROUTEROS,
  type AppliedOp,
} from '@kasi/domain';
import type { RouterClient } from '@kasi/routeros';
import { applyInSafeMode } from './change-plan.safe-mode.ts';
import {
  applyAndVerify,
  driftReason,
  message,
  readSnapshot,
  runOp,
  type ApplyInput,
  type ApplyOutcome,
  type PlanSafety,
} from './change-plan.steps.ts';

export { readSnapshot, SAFE_MODE_MAX_OPS };
export type { ApplyInput, ApplyOutcome, PlanSafety };

export async function applyPlan(client: RouterClient, plan: ApplyInput): Promise<ApplyOutcome> {
  const fallback = await whyNotSafeMode(client, plan.operations.length);
  if (fallback) return applyWithInverseOps(client, plan, fallback);
  const take = await client.takeSafeMode();
  if (take.taken) return applyInSafeMode(client, plan);
  if (take.reason === 'unsupported')
    return applyWithInverseOps(client, plan, `the router has no safe mode in its API (${take.message})`);
  return {
    status: 'aborted',
    reason: `Another session holds safe mode on the router (${take.message}); nothing was changed. Try again once it is released.`,
    safety: { mode: 'safe-mode' },
  };
}

/** The shared rule (@kasi/domain safe-mode.ts); the router's version is read only when it matters. */
async function whyNotSafeMode(client: RouterClient, opCount: number): Promise<string | undefined> {
  if (expectedSafeMode({ version: undefined, opCount }).reason === 'too-many-ops')
    return `${opCount} operations are more than Kasi applies under safe mode (${SAFE_MODE_MAX_OPS})`;
  const { version } = await client.getSafeModeSupport();
  if (expectedSafeMode({ version, opCount }).mode === 'safe-mode') return undefined;
  return `RouterOS ${version} has no safe mode in its API (it needs ${SAFE_MODE_MIN_ROUTEROS} or later)`;
}

async function applyWithInverseOps(
  client: RouterClient,
  plan: ApplyInput,
  fallback: string,
): Promise<ApplyOutcome> {
  const safety: PlanSafety = { mode: 'inverse-ops', fallback };
  const drift = findDrift(plan.snapshot, await readSnapshot(client, plan.paths), plan.operations);
  if (drift.length) return { status: 'aborted', reason: driftReason(drift), safety };
  const applied: AppliedOp[] = [];
  const reason = await applyAndVerify(client, plan, applied);
  if (reason === undefined) return { status: 'applied', applied, safety };
  const undone: PlanSafety = { ...safety, undoneBy: 'inverse-ops' };
  try {
    for (const op of inverseOps(applied)) await runOp(client, op);
    return { status: 'rolled_back', reason, applied, safety: undone };
  } catch (e) {
    return { status: 'failed', reason, applied, rollbackError: message(e), safety: undone };
  }
}
