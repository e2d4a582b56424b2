// Router change plans as data: typed operations, each with the inverse that undoes it,
// computed from a snapshot of the router's current rows and the desired state. Pure.

export type RouterRowValues = Record<string, string>;

export interface SnapshotRow {
  path: string;
  /** `.id` for table rows; null for singletons such as /ppp/aaa. */
  id: string | null;
  values: RouterRowValues;
}

export type RouterOp =
  | { kind: 'add'; path: string; values: RouterRowValues }
  | { kind: 'set'; path: string; id: string | null; values: RouterRowValues; before: RouterRowValues }
  | { kind: 'remove'; path: string; id: string; before: RouterRowValues };

/** After an add is applied, its new `.id` is needed to undo it. */
export type AppliedOp = RouterOp & { createdId?: string };

export interface DesiredRow {
  path: string;
  /** Which existing row this is (e.g. { address: '10.0.0.1' }); null for a singleton. */
  match: RouterRowValues | null;
  values: RouterRowValues;
  /** Keys written every time but never compared (secrets the router may not show). */
  writeOnly?: string[];
}

const matches = (row: RouterRowValues, match: RouterRowValues) =>
  Object.entries(match).every(([k, v]) => row[k] === v);

/** Operations that take the snapshot to the desired state; nothing for rows already right. */
export function planChanges(snapshot: SnapshotRow[], desired: DesiredRow[]): RouterOp[] {
  const ops: RouterOp[] = [];
  for (const want of desired) {
    const current = snapshot.find(
      (r) => r.path === want.path && (want.match === null ? r.id === null : matches(r.values, want.match)),
    );
    if (!current) {
      ops.push({ kind: 'add', path: want.path, values: { ...want.match, ...want.values } });
      continue;
    }
    const compared = Object.entries(want.values).filter(([k]) => !want.writeOnly?.includes(k));
    const differs = compared.some(([k, v]) => current.values[k] !== v);
    if (!differs && !want.writeOnly?.length) continue;
    const before = Object.fromEntries(Object.keys(want.values).map((k) => [k, current.values[k] ?? '']));
    if (differs || want.writeOnly?.some((k) => current.values[k] !== want.values[k])) {
      ops.push({ kind: 'set', path: want.path, id: current.id, values: want.values, before });
    }
  }
  return ops;
}

/** The operations that undo `applied`, newest first. */
export function inverseOps(applied: AppliedOp[]): RouterOp[] {
  return [...applied].reverse().flatMap((op): RouterOp[] => {
    if (op.kind === 'add')
      return op.createdId ? [{ kind: 'remove', path: op.path, id: op.createdId, before: op.values }] : [];
    if (op.kind === 'set')
      return [{ kind: 'set', path: op.path, id: op.id, values: op.before, before: op.values }];
    return [{ kind: 'add', path: op.path, values: op.before }];
  });
}

/** Rows whose values changed since the snapshot (only keys the plan touches are compared). */
export function findDrift(snapshot: SnapshotRow[], current: SnapshotRow[], ops: RouterOp[]): string[] {
  const drift: string[] = [];
  for (const op of ops) {
    if (op.kind === 'add') continue;
    const was = snapshot.find((r) => r.path === op.path && r.id === op.id);
    const now = current.find((r) => r.path === op.path && r.id === op.id);
    if (!now) {
      drift.push(`${op.path} ${op.id ?? ''} disappeared`);
      continue;
    }
    for (const k of Object.keys(op.kind === 'set' ? op.values : op.before)) {
      if ((was?.values[k] ?? '') !== (now.values[k] ?? ''))
        drift.push(`${op.path} ${op.id ?? ''} ${k} changed`);
    }
  }
  return drift;
}

/** Desired rows the router does not show yet (empty = verified). */
export function unmetRows(current: SnapshotRow[], desired: DesiredRow[]): string[] {
  return desired
    .filter((want) => {
      const row = current.find(
        (r) => r.path === want.path && (want.match === null ? r.id === null : matches(r.values, want.match)),
      );
      return (
        !row ||
        Object.entries(want.values).some(([k, v]) => !want.writeOnly?.includes(k) && row.values[k] !== v)
      );
    })
    .map((w) => `${w.path} ${JSON.stringify(w.match ?? {})}`);
}
