// Writes audit rows inside the caller's transaction, hash-chained per tenant:
// hash = SHA-256(previous hash + canonical JSON of the row). A per-tenant advisory
// lock serialises writers so the chain has no forks.
import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { auditLog } from './schema/index.ts';

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

const GENESIS = '0'.repeat(64);

/** JSON with sorted keys and bigints as strings, so the hash is reproducible. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, normalise((value as Record<string, unknown>)[k])]),
    );
  }
  return value ?? null;
}

function hashRow(
  prevHash: string,
  row: Omit<AuditEntry, 'before' | 'after'> & { before: unknown; after: unknown; at: string },
) {
  return createHash('sha256').update(prevHash).update(canonicalJson(row)).digest('hex');
}

/** Rows per insert statement: well under PostgreSQL's 65,535 parameters. */
const INSERT_ROWS = 1_000;

/**
 * Appends one entry, or many in one lock hold (a sync push writes one per op): each tenant's
 * lock is taken once, its chain head read once, and its rows inserted in order, so ids —
 * the order verifyAuditChain follows — are assigned in chain order.
 */
export async function writeAudit(tx: Executor, entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
  const byTenant = new Map<string, AuditEntry[]>();
  for (const e of Array.isArray(entries) ? entries : [entries as AuditEntry]) {
    const list = byTenant.get(e.tenantId);
    if (list) list.push(e);
    else byTenant.set(e.tenantId, [e]);
  }
  // One lock order for every writer, so two multi-tenant writers cannot deadlock.
  for (const tenantId of [...byTenant.keys()].sort())
    await appendChain(tx, tenantId, byTenant.get(tenantId) ?? []);
}

async function appendChain(tx: Executor, tenantId: string, entries: AuditEntry[]): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'audit:' + tenantId}))`);
  const [last] = await tx
    .select({ hash: auditLog.hash, seq: auditLog.seq })
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(sql`${auditLog.id} desc`)
    .limit(1);
  let prevHash = last?.hash ?? GENESIS;
  let seq = last?.seq ?? 0n;
  const at = new Date();
  const rows = entries.map((entry) => {
    const body = {
      tenantId,
      actorUserId: entry.actorUserId ?? null,
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: normalise(entry.before),
      after: normalise(entry.after),
      requestId: entry.requestId ?? null,
      at: at.toISOString(),
    };
    const row = { ...body, seq: ++seq, at, prevHash, hash: hashRow(prevHash, body) };
    prevHash = row.hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    await tx.insert(auditLog).values(rows.slice(i, i + INSERT_ROWS));
  }
}

/** Recomputes the chain; returns the id of the first row that does not match, or null. */
export async function verifyAuditChain(db: Executor, tenantId: string): Promise<bigint | null> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(asc(auditLog.id));
  let prev = GENESIS;
  for (const r of rows) {
    const body = {
      tenantId: r.tenantId,
      actorUserId: r.actorUserId,
      actor: r.actor,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      before: r.before,
      after: r.after,
      requestId: r.requestId,
      at: r.at.toISOString(),
    };
    if (r.prevHash !== prev || r.hash !== hashRow(prev, body)) return r.id;
    prev = r.hash;
  }
  return null;
}
