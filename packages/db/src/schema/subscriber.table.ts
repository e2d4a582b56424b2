// Subscribers: PPPoE and hotspot accounts, with what an ISP records about the customer.
// Passwords are stored encrypted (CHAP and MS-CHAPv2 need the clear text), never hashed.
import { sql } from 'drizzle-orm';
import { index, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt } from './columns.ts';
import { plans } from './plan.table.ts';

/**
 * `disabled` is the name `terminated` had before issue 12 (migration 0012 renamed the rows);
 * radiusd still refuses it, so it stays readable here.
 */
export type SubscriberStatus = 'active' | 'suspended' | 'terminated' | 'disabled';
export type SubscriberService = 'any' | 'pppoe' | 'hotspot';

export const subscribers = pgTable(
  'subscribers',
  {
    id: id(),
    tenantId: tenantId(),
    username: text('username').notNull(),
    passwordEnc: text('password_enc').notNull(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    status: text('status').$type<SubscriberStatus>().notNull().default('active'),
    /** Why the account is suspended or terminated, shown to the operator. */
    statusReason: text('status_reason'),
    /** When and by whom (actor label) the status last changed. */
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    statusChangedBy: text('status_changed_by'),
    service: text('service').$type<SubscriberService>().notNull().default('any'),
    /** Optional MAC binding: logins from another Calling-Station-Id are refused. */
    macAddress: text('mac_address'),
    framedIp: text('framed_ip'),
    /** Paid-up-to date; past it the plan's exhausted action applies. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    fullName: text('full_name'),
    /** E.164 (+254712345678). */
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    /** Decimal degrees, exact (numeric, not float): six places is about 11 cm. */
    latitude: numeric('latitude', { precision: 9, scale: 6 }),
    longitude: numeric('longitude', { precision: 9, scale: 6 }),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('subscribers_tenant_username').on(t.tenantId, sql`lower(${t.username})`),
    index('subscribers_plan').on(t.planId),
    index('subscribers_tenant_status').on(t.tenantId, t.status),
    index('subscribers_tags').using('gin', t.tags),
    // Find anything: user name and name from their start, phone by its last digits (a caller
    // says 0712…, the row holds +254712…), MAC exactly in its canonical form.
    index('subscribers_username_prefix').on(t.tenantId, sql`lower(${t.username}) text_pattern_ops`),
    index('subscribers_name_prefix').on(t.tenantId, sql`lower(${t.fullName}) text_pattern_ops`),
    index('subscribers_phone_suffix').on(t.tenantId, sql`reverse(${t.phone}) text_pattern_ops`),
    index('subscribers_mac').on(t.tenantId, t.macAddress),
  ],
);
