// The audit chain's MAC: HMAC-SHA-256 under a key derived (HKDF) from the master key, over
// every column of the row at full precision and the previous row's MAC. Legacy rows (written
// before keyed MACs) keep their unkeyed SHA-256 and are checked with legacyHash.
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import type { MasterKey } from './keyring.ts';

export interface AuditMacKey {
  /** The id of the master key it was derived from (stored in each row's mac_key_id). */
  id: string;
  key: Buffer;
}

/** The hash a tenant's first row chains from. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** One key per master key, for this purpose only: knowing it opens no secret and vice versa. */
export function deriveAuditMacKey(master: MasterKey): AuditMacKey {
  const key = Buffer.from(hkdfSync('sha256', master.key, 'kasi', 'kasi/audit-log/hmac-sha256/v1', 32));
  return { id: master.id, key };
}

/** JSON with sorted keys and bigints as strings, so the MAC is reproducible. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

export function normalise(value: unknown): unknown {
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

/** Every column of a row as the MAC sees it; `atMicros` is the timestamp in µs since the epoch. */
export interface AuditMacInput {
  id: bigint;
  tenantId: string;
  seq: bigint;
  actorUserId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  atMicros: bigint;
  prevHash: string;
  macKeyId: string;
}

export function auditMac(key: AuditMacKey, row: AuditMacInput): string {
  // Named one by one: a row read back carries more fields (at as a Date, the hash itself).
  const body = {
    v: 1,
    id: row.id,
    tenantId: row.tenantId,
    seq: row.seq,
    actorUserId: row.actorUserId,
    actor: row.actor,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
    atMicros: row.atMicros,
    prevHash: row.prevHash,
    macKeyId: row.macKeyId,
  };
  return createHmac('sha256', key.key).update(canonicalJson(body)).digest('hex');
}

/** The pre-0013 row hash: unkeyed, millisecond timestamp, no id or position. Verification only. */
export function legacyHash(
  prevHash: string,
  row: Omit<AuditMacInput, 'id' | 'seq' | 'atMicros' | 'prevHash' | 'macKeyId'> & { at: Date },
): string {
  const body = {
    tenantId: row.tenantId,
    actorUserId: row.actorUserId,
    actor: row.actor,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
    at: row.at.toISOString(),
  };
  return createHash('sha256').update(prevHash).update(canonicalJson(body)).digest('hex');
}

/** µs since the epoch as the exact timestamptz literal PostgreSQL stores. */
export function microsToIso(micros: bigint): string {
  const ms = new Date(Number(micros / 1000n)).toISOString();
  return `${ms.slice(0, -1)}${(micros % 1000n).toString().padStart(3, '0')}Z`;
}
