// Secrets inside change plans (the RADIUS secret to write, a router's existing secrets in
// the snapshot) are stored sealed under the tenant's data key, shown masked in previews,
// and unsealed only in memory at apply time.
import type { Executor } from '@kasi/db';
import type { AppliedOp, DesiredRow, RouterOp, SnapshotRow } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import type { FileFetch } from '../hotspot/hotspot-fetch.ts';
import type { PlanSafety } from './change-plan.engine.ts';

const SECRET_KEYS: ReadonlySet<string> = new Set(['secret', 'password']);
const PREFIX = '$kasi:sealed:';
const PURPOSE = 'router.plan';
export const MASK = '••••••••';

type Values = Record<string, string>;
type Transform = (value: string) => Promise<string>;

async function mapSecrets(values: Values, fn: Transform): Promise<Values> {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) out[k] = SECRET_KEYS.has(k) && v !== '' ? await fn(v) : v;
  return out;
}

async function mapOp<T extends RouterOp | AppliedOp>(op: T, fn: Transform): Promise<T> {
  const values = 'values' in op ? { values: await mapSecrets(op.values, fn) } : {};
  const before = 'before' in op ? { before: await mapSecrets(op.before, fn) } : {};
  return { ...op, ...values, ...before };
}

export interface PlanBody {
  paths: string[];
  desired: DesiredRow[];
  ops: RouterOp[];
  applied?: AppliedOp[];
  /** How the last apply was protected: RouterOS safe mode or inverse operations (no secrets). */
  safety?: PlanSafety;
  /** Files the router downloads before the operations (hotspot pages); URLs carry a token. */
  fetches?: FileFetch[];
}

export function sealer(app: AppContext, db: Executor, tenantId: string) {
  const seal: Transform = async (v) =>
    v.startsWith(PREFIX) ? v : PREFIX + (await app.keyring.encrypt(db, tenantId, PURPOSE, v));
  const unseal: Transform = async (v) =>
    v.startsWith(PREFIX) ? app.keyring.decrypt(db, tenantId, PURPOSE, v.slice(PREFIX.length)) : v;
  const mask: Transform = async () => MASK;
  const body = async (b: PlanBody, fn: Transform): Promise<PlanBody> => ({
    paths: b.paths,
    desired: await Promise.all(
      b.desired.map(async (d) => ({ ...d, values: await mapSecrets(d.values, fn) })),
    ),
    ops: await Promise.all(b.ops.map((op) => mapOp(op, fn))),
    ...(b.applied ? { applied: await Promise.all(b.applied.map((op) => mapOp(op, fn))) } : {}),
    ...(b.safety ? { safety: b.safety } : {}),
    ...(b.fetches
      ? { fetches: await Promise.all(b.fetches.map(async (f) => ({ ...f, url: await fn(f.url) }))) }
      : {}),
  });
  const rows = async (r: SnapshotRow[], fn: Transform) =>
    Promise.all(r.map(async (row) => ({ ...row, values: await mapSecrets(row.values, fn) })));
  return {
    sealBody: (b: PlanBody) => body(b, seal),
    unsealBody: (b: PlanBody) => body(b, unseal),
    maskBody: (b: PlanBody) => body(b, mask),
    sealRows: (r: SnapshotRow[]) => rows(r, seal),
    unsealRows: (r: SnapshotRow[]) => rows(r, unseal),
    maskRows: (r: SnapshotRow[]) => rows(r, mask),
  };
}
