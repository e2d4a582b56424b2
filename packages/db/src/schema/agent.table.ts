// Field agents who sell vouchers offline: their enrolled devices, the code blocks leased
// to each device, the sales those devices push, sync conflicts for the operator, the
// agent's cash ledger, and the retired jobs outbox (jobs are on pg-boss now).
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { LedgerKind, SyncReason } from '@kasi/domain';
import { bigintExact, createdAt, id, tenantId, updatedAt } from './columns.ts';
import { plans } from './plan.table.ts';
import { users } from './user.table.ts';
import { vouchers } from './voucher.table.ts';

export type AgentStatus = 'active' | 'suspended';

/**
 * One row per agent (a user with the 'agent' role). A float agent has limit 0 and pays in
 * advance (a handover before selling); a consignment agent is trusted up to the limit.
 */
export const agents = pgTable(
  'agents',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    creditLimitMinor: bigintExact('credit_limit_minor')
      .notNull()
      .default(sql`0`),
    currency: text('currency').notNull(),
    commissionBps: integer('commission_bps').notNull().default(0),
    status: text('status').$type<AgentStatus>().notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('agents_tenant_user').on(t.tenantId, t.userId),
    check('agents_commission_bps', sql`${t.commissionBps} between 0 and 10000`),
    check('agents_credit_limit', sql`${t.creditLimitMinor} >= 0`),
  ],
);

export type DeviceStatus = 'pending' | 'approved' | 'revoked' | 'lost';

export const agentDevices = pgTable(
  'agent_devices',
  {
    id: id(),
    tenantId: tenantId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    /** ECDSA P-256 public key, SPKI DER in base64; the private key never leaves the device. */
    publicKeySpki: text('public_key_spki').notNull(),
    /** SHA-256 of the SPKI, hex: one key enrols one device, across all tenants. */
    keyFingerprint: text('key_fingerprint').notNull(),
    status: text('status').$type<DeviceStatus>().notNull().default('pending'),
    statusReason: text('status_reason'),
    /** Highest op sequence applied from this device. */
    lastSeq: integer('last_seq').notNull().default(0),
    /** Bumped (under the device row lock) by every lease or revocation: the pull cursor. */
    feedVersion: integer('feed_version').notNull().default(0),
    lastSyncAt: timestamp('last_sync_at', { withTimezone: true }),
    createdAt: createdAt(),
    approvedBy: uuid('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('agent_devices_key').on(t.keyFingerprint), index('agent_devices_agent').on(t.agentId)],
);

/** A block of codes of one plan leased to one device, priced at the plan's price when leased. */
export const voucherLeases = pgTable(
  'voucher_leases',
  {
    id: id(),
    tenantId: tenantId(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => agentDevices.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    count: integer('count').notNull(),
    unitPriceMinor: bigintExact('unit_price_minor').notNull(),
    currency: text('currency').notNull(),
    /** The device's feed version that delivered this lease. */
    version: integer('version').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokedVersion: integer('revoked_version'),
  },
  (t) => [index('voucher_leases_device').on(t.deviceId, t.version)],
);

export const voucherSales = pgTable(
  'voucher_sales',
  {
    /** Made by the device (UUIDv7): the idempotency key of the sale. */
    saleId: uuid('sale_id').primaryKey(),
    tenantId: tenantId(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => agentDevices.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    seq: integer('seq').notNull(),
    voucherId: uuid('voucher_id')
      .notNull()
      .references(() => vouchers.id),
    code: text('code').notNull(),
    /** What the agent says the buyer paid; the ledger charges the lease's face value. */
    amountMinor: bigintExact('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** Device clock: when the sale happened. */
    soldAt: timestamp('sold_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** SHA-256 of the signed canonical op: a replay with the same hash is a duplicate. */
    payloadHash: text('payload_hash').notNull(),
    signature: text('signature').notNull(),
    buyerPhone: text('buyer_phone'),
  },
  (t) => [
    uniqueIndex('voucher_sales_device_seq').on(t.deviceId, t.seq),
    uniqueIndex('voucher_sales_voucher').on(t.voucherId),
    index('voucher_sales_tenant_sold').on(t.tenantId, t.soldAt),
    index('voucher_sales_agent_sold').on(t.agentId, t.soldAt),
  ],
);

export const syncConflicts = pgTable(
  'sync_conflicts',
  {
    id: id(),
    tenantId: tenantId(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => agentDevices.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    seq: integer('seq').notNull(),
    saleId: uuid('sale_id').notNull(),
    code: text('code'),
    reason: text('reason').$type<SyncReason>().notNull(),
    /** The op as pushed (bigints as strings) plus what the server found. */
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolutionNote: text('resolution_note'),
  },
  (t) => [
    // A replayed push must not raise the same conflict twice.
    uniqueIndex('sync_conflicts_once').on(t.deviceId, t.saleId, t.reason),
    index('sync_conflicts_open')
      .on(t.tenantId, t.createdAt)
      .where(sql`resolved_at is null`),
  ],
);

/** Signed so a plain sum is what the agent owes: sales +, commission and handovers −. */
export const agentLedger = pgTable(
  'agent_ledger',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    tenantId: tenantId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    kind: text('kind').$type<LedgerKind>().notNull(),
    amountMinor: bigintExact('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** The sale a sale or commission line belongs to. */
    saleId: uuid('sale_id').references(() => voucherSales.saleId),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    by: uuid('by').references(() => users.id),
  },
  (t) => [
    index('agent_ledger_agent').on(t.agentId, t.id),
    uniqueIndex('agent_ledger_sale_kind')
      .on(t.saleId, t.kind)
      .where(sql`sale_id is not null`),
    check(
      'agent_ledger_sign',
      sql`(${t.kind} = 'sale' and ${t.amountMinor} >= 0) or (${t.kind} in ('commission', 'handover') and ${t.amountMinor} <= 0) or ${t.kind} = 'adjustment'`,
    ),
  ],
);

/**
 * Retired: jobs live in pg-boss now (ADR 0009). Nothing writes here; the server moves rows
 * still waiting into pg-boss at start and empties the table, which a later migration drops.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    tenantId: tenantId(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    runAfter: timestamp('run_after', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    /** Last failure, for the operator; never holds secrets or message bodies. */
    lastError: text('last_error'),
    /** Set when the job gave up after its last attempt; such jobs are not retried. */
    failedAt: timestamp('failed_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('jobs_dedupe').on(t.dedupeKey),
    index('jobs_pending')
      .on(t.runAfter)
      .where(sql`done_at is null`),
  ],
);
