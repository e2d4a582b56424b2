// A change plan applied inside RouterOS safe mode, already taken on `client`: read the
// baseline and check drift, apply, verify, release. On any failure the router undoes the plan
// itself (unroll, or the held session is dropped); Kasi then re-reads and only if the router
// still differs from the baseline does it fall back to the plan's inverse operations.
import { findDrift, inverseOps, type AppliedOp, type SnapshotRow } from '@kasi/domain';
import { isRouterError, type RouterClient } from '@kasi/routeros';
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

export async function applyInSafeMode(client: RouterClient, plan: ApplyInput): Promise<ApplyOutcome> {
  const safety: PlanSafety = { mode: 'safe-mode' };
  // Read under safe mode: this is exactly what the router returns to if safe mode is undone.
  const baseline = await readSnapshot(client, plan.paths).catch(async (e: unknown) => {
    await leaveUnchanged(client);
    throw e;
  });
  const drift = findDrift(plan.snapshot, baseline, plan.operations);
  if (drift.length) {
    await leaveUnchanged(client);
    return { status: 'aborted', reason: driftReason(drift), safety };
  }
  const applied: AppliedOp[] = [];
  let reason = await applyAndVerify(client, plan, applied);
  if (reason === undefined) {
    try {
      await client.releaseSafeMode();
      return { status: 'applied', applied, safety };
    } catch (e) {
      reason = `Safe mode could not be released: ${message(e)}`;
    }
  }
  return undoInSafeMode(client, { paths: plan.paths, baseline, applied, reason });
}

/** Nothing was changed: leave safe mode keeping others' changes, or drop it if that fails. */
async function leaveUnchanged(client: RouterClient): Promise<void> {
  await client.releaseSafeMode().catch(() => client.abandonSafeMode());
}

interface FailedRun {
  paths: readonly string[];
  baseline: SnapshotRow[];
  applied: AppliedOp[];
  reason: string;
}

async function undoInSafeMode(client: RouterClient, run: FailedRun): Promise<ApplyOutcome> {
  const { reason, applied } = run;
  const note = await unrollOrAbandon(client);
  const bySafeMode: PlanSafety = { mode: 'safe-mode', undoneBy: 'safe-mode', ...(note ? { note } : {}) };
  try {
    const differs = rowDifferences(run.paths, run.baseline, await readSnapshot(client, run.paths));
    if (!differs.length) return { status: 'rolled_back', reason, applied, safety: bySafeMode };
    const still = `after safe mode the router still differed (${differs.join('; ')})`;
    const byInverse: PlanSafety = {
      mode: 'safe-mode',
      undoneBy: 'inverse-ops',
      note: joinNotes(note, still),
    };
    try {
      for (const op of inverseOps(applied)) await runOp(client, op);
      return { status: 'rolled_back', reason, applied, safety: byInverse };
    } catch (e) {
      return { status: 'failed', reason, applied, rollbackError: message(e), safety: byInverse };
    }
  } catch (e) {
    return { status: 'failed', reason, applied, rollbackError: message(e), safety: bySafeMode };
  }
}

/** Has the router undo the plan; returns a note when that did not go the plain way. */
async function unrollOrAbandon(client: RouterClient): Promise<string | undefined> {
  try {
    await client.unrollSafeMode();
    return undefined;
  } catch (e) {
    if (isRouterError(e, 'ROUTER.SAFE_MODE_LOST'))
      return 'the session holding safe mode was lost, so the router undid the changes by itself';
    await client.abandonSafeMode().catch(() => undefined);
    return `unroll failed (${message(e)}); the session was closed so that the router undoes the changes`;
  }
}

const joinNotes = (a: string | undefined, b: string) => (a ? `${a}; ${b}` : b);

/**
 * Menus whose rows are not as in `before`. Rows are compared by content, ids ignored (an undo
 * restores what was there), and only paths are reported: values may be secrets.
 */
export function rowDifferences(
  paths: readonly string[],
  before: SnapshotRow[],
  after: SnapshotRow[],
): string[] {
  const content = (rows: SnapshotRow[], path: string) =>
    JSON.stringify(
      rows
        .filter((r) => r.path === path)
        .map((r) => JSON.stringify(Object.entries(r.values).sort(([a], [b]) => (a < b ? -1 : 1))))
        .sort(),
    );
  return paths.filter((p) => content(before, p) !== content(after, p)).map((p) => `${p} is not as it was`);
}
