// Voucher batches, the codes in them and the print runs that put codes on paper. A code's
// status moves generated → leased → sold → active → exhausted/expired; void and lock apply at
// any stage. Its channel (stock, printed, leased, online, held) says how it reaches a
// customer: exactly one, drawn from stock only (see @kasi/domain voucher-channel).
import { sql } from 'drizzle-orm';
import {
  boolean,
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
import type { CredentialStatus, VoucherChannel } from '@kasi/domain';
import { bigintExact, createdAt, id, tenantId } from './columns.ts';
import { plans } from './plan.table.ts';
import { users } from './user.table.ts';
import { agentDevices, voucherLeases } from './agent.table.ts';

export const voucherBatches = pgTable(
  'voucher_batches',
  {
    id: id(),
    tenantId: tenantId(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    codeLength: integer('code_length').notNull(),
    prefix: text('prefix').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('voucher_batches_tenant').on(t.tenantId, t.createdAt)],
);

export const vouchers = pgTable(
  'vouchers',
  {
    id: id(),
    tenantId: tenantId(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => voucherBatches.id, { onDelete: 'cascade' }),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    code: text('code').notNull(),
    status: text('status').$type<CredentialStatus>().notNull().default('generated'),
    channel: text('channel').$type<VoucherChannel>().notNull().default('stock'),
    /** The print run that put the code on paper (channel 'printed'; null for codes printed before runs were kept). */
    printRunId: uuid('print_run_id').references(() => voucherPrintRuns.id),
    locked: boolean('locked').notNull().default(false),
    firstUsedAt: timestamp('first_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    soldAt: timestamp('sold_at', { withTimezone: true }),
    /** The device holding the code for offline sale, and the lease that put it there. */
    leasedDeviceId: uuid('leased_device_id').references(() => agentDevices.id),
    leaseId: uuid('lease_id').references(() => voucherLeases.id),
    usedSeconds: integer('used_seconds').notNull().default(0),
    usedOctets: bigintExact('used_octets')
      .notNull()
      .default(sql`0`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('vouchers_tenant_code').on(t.tenantId, t.code),
    // Find anything: a code typed in part ("ABCD") is a prefix match, whatever the collation.
    index('vouchers_code_prefix').on(t.tenantId, t.code.op('text_pattern_ops')),
    index('vouchers_batch').on(t.batchId),
    index('vouchers_lease').on(t.leaseId),
    index('vouchers_leased_device')
      .on(t.leasedDeviceId)
      .where(sql`leased_device_id is not null`),
    index('vouchers_print_run')
      .on(t.printRunId)
      .where(sql`print_run_id is not null`),
    // Leases and print runs draw stock in code order: this keeps that draw an index scan.
    index('vouchers_stock')
      .on(t.tenantId, t.planId, t.createdAt, t.code)
      .where(sql`channel = 'stock'`),
    check('vouchers_channel', sql`${t.channel} in ('stock', 'printed', 'leased', 'online', 'held')`),
    check('vouchers_channel_lease', sql`(${t.channel} = 'leased') = (${t.leasedDeviceId} is not null)`),
  ],
);

export interface PrintRunOptions {
  brand: string | null;
  footer: string;
  hotspotUrl: string;
}

/** Codes put on paper together; reprinting the run prints the same codes again. */
export const voucherPrintRuns = pgTable(
  'voucher_print_runs',
  {
    id: id(),
    tenantId: tenantId(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => voucherBatches.id, { onDelete: 'cascade' }),
    /** 1, 2, 3… within the batch: "Run 2". */
    number: integer('number').notNull(),
    layout: text('layout').$type<'a4' | 'thermal58'>().notNull(),
    options: jsonb('options').$type<PrintRunOptions>().notNull(),
    count: integer('count').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    reprints: integer('reprints').notNull().default(0),
    lastPrintedAt: timestamp('last_printed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('voucher_print_runs_number').on(t.batchId, t.number)],
);
