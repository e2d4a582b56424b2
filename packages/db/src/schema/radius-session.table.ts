// RADIUS accounting: one row per session, upserted on (NAS, session key) so
// retransmitted or replayed accounting never double-counts.
import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bigintExact, tenantId } from './columns.ts';
import { nas } from './nas.table.ts';
import { vouchers } from './voucher.table.ts';
import { subscribers } from './subscriber.table.ts';

export const radiusSessions = pgTable(
  'radius_sessions',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    tenantId: tenantId(),
    nasId: uuid('nas_id')
      .notNull()
      .references(() => nas.id, { onDelete: 'cascade' }),
    /** Hash-free natural key: User-Name, Acct-Session-Id and NAS-Port joined. */
    sessionKey: text('session_key').notNull(),
    acctSessionId: text('acct_session_id').notNull(),
    userName: text('user_name').notNull(),
    voucherId: uuid('voucher_id').references(() => vouchers.id, { onDelete: 'set null' }),
    subscriberId: uuid('subscriber_id').references(() => subscribers.id, { onDelete: 'set null' }),
    nasPort: text('nas_port'),
    framedIp: text('framed_ip'),
    callingStationId: text('calling_station_id'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    lastUpdateAt: timestamp('last_update_at', { withTimezone: true }).notNull(),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    sessionTime: integer('session_time').notNull().default(0),
    inputOctets: bigintExact('input_octets')
      .notNull()
      .default(sql`0`),
    outputOctets: bigintExact('output_octets')
      .notNull()
      .default(sql`0`),
    terminateCause: text('terminate_cause'),
  },
  (t) => [
    uniqueIndex('radius_sessions_key').on(t.nasId, t.sessionKey),
    index('radius_sessions_open_user')
      .on(t.tenantId, t.userName)
      .where(sql`stopped_at is null`),
    index('radius_sessions_tenant_started').on(t.tenantId, t.startedAt),
    // Open sessions per voucher, read at every login (shared-user limit and usage so far).
    index('radius_sessions_open_voucher')
      .on(t.voucherId)
      .where(sql`stopped_at is null and voucher_id is not null`),
    index('radius_sessions_voucher')
      .on(t.voucherId)
      .where(sql`voucher_id is not null`),
    // Open sessions per subscriber account, read at every subscriber login.
    index('radius_sessions_open_subscriber')
      .on(t.subscriberId)
      .where(sql`stopped_at is null and subscriber_id is not null`),
    index('radius_sessions_subscriber')
      .on(t.subscriberId)
      .where(sql`subscriber_id is not null`),
    // Find anything by a device's MAC in whatever separators the NAS sent (12 hex digits).
    index('radius_sessions_mac')
      .on(t.tenantId, sql`upper(regexp_replace(${t.callingStationId}, '[^0-9A-Fa-f]', '', 'g'))`)
      .where(sql`calling_station_id is not null`),
  ],
);
