// Subscribers: PPPoE and hotspot accounts. Passwords are stored encrypted (CHAP and
// MS-CHAPv2 need the clear text), never hashed. Billing builds on this table later.
import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt } from './columns.ts';
import { plans } from './plan.table.ts';

export type SubscriberStatus = 'active' | 'disabled' | 'suspended';
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
    /** Why the account is suspended or disabled, shown to the operator. */
    statusReason: text('status_reason'),
    service: text('service').$type<SubscriberService>().notNull().default('any'),
    /** Optional MAC binding: logins from another Calling-Station-Id are refused. */
    macAddress: text('mac_address'),
    framedIp: text('framed_ip'),
    /** Paid-up-to date; past it the plan's exhausted action applies. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    fullName: text('full_name'),
    phone: text('phone'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('subscribers_tenant_username').on(t.tenantId, sql`lower(${t.username})`),
    index('subscribers_plan').on(t.planId),
  ],
);
