// Plans: what a voucher or subscriber buys — speed, validity, quotas, price.
import { bigint, boolean, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('plans_tenant_name').on(t.tenantId, t.name)],
);
