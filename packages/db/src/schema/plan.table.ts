// Plans: what a voucher or subscriber buys — speed, validity, quotas, price.
import {
  bigint,
  boolean,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { BillingMode, PeriodUnit, PlanAudience } from '@kasi/domain';
import { bigintExact, createdAt, id, tenantId, updatedAt } from './columns.ts';

export const plans = pgTable(
  'plans',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    downloadBps: bigint('download_bps', { mode: 'number' }).notNull(),
    uploadBps: bigint('upload_bps', { mode: 'number' }).notNull(),
    burstDownloadBps: bigint('burst_download_bps', { mode: 'number' }),
    burstUploadBps: bigint('burst_upload_bps', { mode: 'number' }),
    burstThresholdDownloadBps: bigint('burst_threshold_download_bps', { mode: 'number' }),
    burstThresholdUploadBps: bigint('burst_threshold_upload_bps', { mode: 'number' }),
    burstTimeSeconds: integer('burst_time_seconds'),
    /** Validity counted from first login; null = no limit. */
    validitySeconds: integer('validity_seconds'),
    timeQuotaSeconds: integer('time_quota_seconds'),
    dataQuotaBytes: bigintExact('data_quota_bytes'),
    sharedUsers: integer('shared_users').notNull().default(1),
    idleTimeoutSeconds: integer('idle_timeout_seconds'),
    interimIntervalSeconds: integer('interim_interval_seconds').notNull().default(300),
    addressPool: text('address_pool'),
    /** What happens when time, data or validity runs out: refuse, or admit into a walled garden. */
    exhaustedAction: text('exhausted_action').$type<'reject' | 'walled_garden'>().notNull().default('reject'),
    /** Firewall address list for walled-garden sessions (Mikrotik-Address-List). */
    walledGardenList: text('walled_garden_list').notNull().default('kasi-walled-garden'),
    priceMinor: bigintExact('price_minor').notNull(),
    currency: text('currency').notNull(),
    active: boolean('active').notNull().default(true),
    /** Sold on voucher cards, to monthly subscribers, or both. */
    audience: text('audience').$type<PlanAudience>().notNull().default('both'),
    /** A subscriber pays `price_minor` every `billing_period_count` × `billing_period_unit`. */
    billingPeriodUnit: text('billing_period_unit').$type<PeriodUnit>().notNull().default('month'),
    billingPeriodCount: integer('billing_period_count').notNull().default(1),
    billingMode: text('billing_mode').$type<BillingMode>().notNull().default('prepaid'),
    installationFeeMinor: bigintExact('installation_fee_minor'),
    /** Bumped by every change; each version's terms are kept in `plan_versions`. */
    version: integer('version').notNull().default(1),
    /** Archived plans are kept for history and refused for new sales and plan changes. */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('plans_tenant_name').on(t.tenantId, t.name)],
);

/** Every version of a plan as it was: what an invoice line was priced from. */
export const planVersions = pgTable(
  'plan_versions',
  {
    id: id(),
    tenantId: tenantId(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    priceMinor: bigintExact('price_minor').notNull(),
    currency: text('currency').notNull(),
    billingPeriodUnit: text('billing_period_unit').$type<PeriodUnit>().notNull(),
    billingPeriodCount: integer('billing_period_count').notNull(),
    billingMode: text('billing_mode').$type<BillingMode>().notNull(),
    installationFeeMinor: bigintExact('installation_fee_minor'),
    /** The whole plan row at this version (speeds, quotas), for history. */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('plan_versions_plan_version').on(t.planId, t.version)],
);
