// Recomputes a tenant's audit chain and compares it with the heads exported outside the
// database. Names the first bad row and what is wrong with it (ADR 0013).
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { auditLog } from './schema/index.ts';
import { AUDIT_GENESIS, auditMac, legacyHash, type AuditMacKey } from './audit-mac.ts';
import { boundAuditChain } from './audit-scope.ts';

export type AuditTamper =
  /** The row's MAC does not match its columns: edited, or the chain recomputed without the key. */
  | 'edited'
  /** Rows are missing before this one (a gap in seq, or its previous MAC is not the row before). */
  | 'deleted'
  /** An exported head names a position past the newest row: the newest rows were deleted. */
  | 'truncated'
  /** An exported head names this position with another MAC: the chain was rewritten. */
  | 'rewritten'
  /** MACed under a master key that is not configured (or a legacy row after keyed ones). */
  | 'unverifiable';

export interface AuditBadRow {
  /** Null when the row is gone (truncation). */
  id: bigint | null;
  seq: bigint;
  kind: AuditTamper;
  detail: string;
}

export interface AuditVerdict {
  intact: boolean;
  rows: number;
  legacyRows: number;
  lastSeq: bigint | null;
  /** The highest exported head for the tenant, if any was found. */
  headSeq: bigint | null;
  firstBad: AuditBadRow | null;
}

export interface VerifyAuditOptions {
  // Both default from the handle's bound chain (withAuditChain) and no heads: a database-only check.
  /** Every configured key: the current one and those of previous master keys. */
  keys?: readonly AuditMacKey[] | undefined;
  /** The tenant's exported heads: seq → MAC. */
  heads?: ReadonlyMap<bigint, string> | undefined;
}

const PAGE = 2_000;

async function page(db: Executor, tenantId: string, afterSeq: bigint) {
  return db
    .select({
      id: auditLog.id,
      tenantId: auditLog.tenantId,
      seq: auditLog.seq,
      actorUserId: auditLog.actorUserId,
      actor: auditLog.actor,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
      requestId: auditLog.requestId,
      at: auditLog.at,
      // Exact: extract returns numeric, and timestamptz is stored in whole microseconds.
      atMicros: sql<string>`(extract(epoch from ${auditLog.at}) * 1000000)::bigint::text`,
      prevHash: auditLog.prevHash,
      macKeyId: auditLog.macKeyId,
      hash: auditLog.hash,
    })
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), gt(auditLog.seq, afterSeq)))
    .orderBy(asc(auditLog.seq))
    .limit(PAGE);
}

type Row = Awaited<ReturnType<typeof page>>[number];

function rowFault(
  row: Row,
  prev: { seq: bigint; hash: string; keyed: boolean },
  keys: Map<string, AuditMacKey>,
) {
  const bad = (kind: AuditTamper, detail: string): AuditBadRow => ({
    id: row.id,
    seq: row.seq,
    kind,
    detail,
  });
  if (row.macKeyId === null) {
    if (prev.keyed) return bad('unverifiable', 'a legacy (unkeyed) row after keyed rows');
    if (row.hash !== legacyHash(row.prevHash, row))
      return bad('edited', 'its hash does not match its columns');
  } else {
    const key = keys.get(row.macKeyId);
    if (!key) return bad('unverifiable', `its MAC key ${row.macKeyId} is not configured`);
    const mac = auditMac(key, { ...row, macKeyId: row.macKeyId, atMicros: BigInt(row.atMicros) });
    if (row.hash !== mac) return bad('edited', 'its MAC does not match its columns');
  }
  if (row.seq !== prev.seq + 1n) return bad('deleted', `rows ${prev.seq + 1n}..${row.seq - 1n} are missing`);
  if (row.prevHash !== prev.hash)
    return bad('deleted', 'the row before it is not the one it was chained to (removed or rewritten)');
  return null;
}

/** The first bad row of the tenant's chain, or null when it is intact. */
export async function verifyAuditChain(
  db: Executor,
  tenantId: string,
  options?: VerifyAuditOptions,
): Promise<AuditBadRow | null> {
  return (await verifyAuditLog(db, tenantId, options)).firstBad;
}

/** Walks the tenant's chain in seq order, a page at a time; stops at the first bad row. */
export async function verifyAuditLog(
  db: Executor,
  tenantId: string,
  options: VerifyAuditOptions = {},
): Promise<AuditVerdict> {
  const bound = boundAuditChain(db);
  const keyList = options.keys ?? bound?.keys ?? (bound ? [bound.key] : []);
  const heads = options.heads ?? new Map<bigint, string>();
  const keys = new Map(keyList.map((k) => [k.id, k]));
  const headSeq = [...heads.keys()].reduce<bigint | null>((m, s) => (m === null || s > m ? s : m), null);
  let prev = { seq: 0n, hash: AUDIT_GENESIS, keyed: false };
  let rows = 0;
  let legacyRows = 0;
  const verdict = (firstBad: AuditBadRow | null): AuditVerdict => ({
    intact: firstBad === null,
    rows,
    legacyRows,
    lastSeq: rows > 0 ? prev.seq : null,
    headSeq,
    firstBad,
  });
  for (;;) {
    const batch = await page(db, tenantId, prev.seq);
    for (const row of batch) {
      const fault = rowFault(row, prev, keys);
      if (fault) return verdict(fault);
      const exported = heads.get(row.seq);
      if (exported !== undefined && exported !== row.hash)
        return verdict({
          id: row.id,
          seq: row.seq,
          kind: 'rewritten',
          detail: 'the exported head has another MAC',
        });
      rows++;
      if (row.macKeyId === null) legacyRows++;
      prev = { seq: row.seq, hash: row.hash, keyed: row.macKeyId !== null };
    }
    if (batch.length < PAGE) break;
  }
  // Rows past the newest head are accepted: their head may not be exported yet (ADR 0013).
  if (headSeq !== null && headSeq > prev.seq)
    return verdict({
      id: null,
      seq: prev.seq + 1n,
      kind: 'truncated',
      detail: `an exported head names row ${headSeq}, the newest row is ${rows > 0 ? prev.seq : 'none'}`,
    });
  return verdict(null);
}
