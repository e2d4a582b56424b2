// Writes audit rows inside the caller's transaction as one chain per tenant: each row has the
// next position (seq) and an HMAC over all its columns and the previous row's MAC (audit-mac.ts).
// A per-tenant advisory lock serialises writers so the chain has no forks. The key and the
// head export come from the handle's audit scope (audit-scope.ts), so callers pass only `tx`.
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Executor, Transaction } from './client.ts';
import { auditLog } from './schema/index.ts';
import { AUDIT_GENESIS, auditMac, microsToIso, normalise } from './audit-mac.ts';
import { currentAuditScope } from './audit-scope.ts';

export interface AuditEntry {
  tenantId: string;
  actorUserId?: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

/** Rows per insert statement: well under PostgreSQL's 65,535 parameters. */
const INSERT_ROWS = 1_000;

/**
 * Appends one entry, or many in one lock hold (a sync push writes one per op): each tenant's
 * lock is taken once, its chain head read once, and its rows inserted in order. Given the pool
 * rather than a transaction, it opens its own so the lock holds until the rows commit.
 */
export async function writeAudit(tx: Executor, entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
  if (!(tx instanceof PgTransaction)) return tx.transaction((t) => writeAudit(t, entries));
  const scope = currentAuditScope();
  if (!scope)
    throw new Error('writeAudit: the database handle has no audit key (bind it with withAuditChain)');
  const byTenant = new Map<string, AuditEntry[]>();
  for (const e of Array.isArray(entries) ? entries : [entries as AuditEntry]) {
    const list = byTenant.get(e.tenantId);
    if (list) list.push(e);
    else byTenant.set(e.tenantId, [e]);
  }
  // One lock order for every writer, so two multi-tenant writers cannot deadlock.
  for (const tenantId of [...byTenant.keys()].sort()) {
    const head = await appendChain(tx, tenantId, byTenant.get(tenantId) ?? [], scope.chain.key);
    scope.heads.set(tenantId, head);
  }
}

interface ChainTip {
  seq: string | null;
  hash: string | null;
  at_micros: string;
  ids: string[];
}

async function appendChain(
  tx: Transaction,
  tenantId: string,
  entries: AuditEntry[],
  key: { id: string; key: Buffer },
) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'audit:' + tenantId}))`);
  // After the lock (a new statement, so a new snapshot): the tip, the time and the row ids in
  // one round trip. Ids are taken up front because the MAC covers them.
  const [tip] = (await tx.execute(sql`
    select h.seq::text as seq, h.hash,
      (extract(epoch from now()) * 1000000)::bigint::text as at_micros,
      array(select nextval('audit_log_id_seq')::text from generate_series(1, ${entries.length}::int)) as ids
    from (select 1) one
    left join lateral (
      select seq, hash from audit_log where tenant_id = ${tenantId} order by seq desc limit 1
    ) h on true`)) as unknown as ChainTip[];
  if (!tip) throw new Error('audit chain tip query returned nothing');
  let prevHash = tip.hash ?? AUDIT_GENESIS;
  let seq = BigInt(tip.seq ?? 0);
  const atMicros = BigInt(tip.at_micros);
  const at = sql`${microsToIso(atMicros)}::timestamptz`;
  const rows = entries.map((entry, i) => {
    const body = {
      id: BigInt(tip.ids[i] ?? ''),
      tenantId,
      seq: ++seq,
      actorUserId: entry.actorUserId ?? null,
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: normalise(entry.before),
      after: normalise(entry.after),
      requestId: entry.requestId ?? null,
      prevHash,
      macKeyId: key.id,
    };
    const hash = auditMac(key, { ...body, atMicros });
    prevHash = hash;
    return { ...body, at, hash };
  });
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    await tx.insert(auditLog).values(rows.slice(i, i + INSERT_ROWS));
  }
  return { tenantId, seq, hash: prevHash };
}
