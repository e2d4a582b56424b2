// Voucher batches and the codes in them. A code's status moves
// generated → leased → sold → active → exhausted/expired; void and lock apply at any stage.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { CredentialStatus } from '@kasi/domain';
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
    index('vouchers_batch').on(t.batchId),
    index('vouchers_lease').on(t.leaseId),
    index('vouchers_leased_device')
      .on(t.leasedDeviceId)
      .where(sql`leased_device_id is not null`),
  ],
);
