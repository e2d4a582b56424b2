// Audit trail: every state change writes a row in the same transaction.
// Rows form one chain per tenant (seq 1, 2, 3 …); each row's `hash` is an HMAC-SHA-256
// under a key derived from the master key (never stored here) over every column and the
// previous row's hash, so edits, deletions and a recomputed chain are detectable (ADR 0013).
import {
  bigint,
  bigserial,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantId } from './columns.ts';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    tenantId: tenantId(),
    /** Position in the tenant's chain, from 1 without gaps. */
    seq: bigint('seq', { mode: 'bigint' }).notNull(),
    actorUserId: uuid('actor_user_id'),
    /** Human label of the actor at the time ("alice@isp.example", "cli", "radiusd"). */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    prevHash: text('prev_hash').notNull(),
    /**
     * Which master key the row's MAC key was derived from; null marks a legacy row written
     * before keyed MACs, whose `hash` is the old unkeyed SHA-256 (verified as such).
     */
    macKeyId: text('mac_key_id'),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_tenant_id').on(t.tenantId, t.id),
    uniqueIndex('audit_log_tenant_seq').on(t.tenantId, t.seq),
  ],
);
