// Tenants (ISPs) and their wrapped data keys for envelope encryption of secrets.
import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export interface TenantSettings {
  twoPersonApproval?: boolean;
  accountingRetentionMonths?: number;
  /** Days SMS texts and numbers are kept before they are anonymised (default 90). */
  smsRetentionDays?: number;
  /** Owners and admins must sign in with a second factor (enrolment forced at login). */
  requireTwoFactorForAdmins?: boolean;
  /** The address this tenant's routers send RADIUS to (radiusd as the routers see it). */
  radiusAddress?: string;
}

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  currency: text('currency').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  /** BCP 47 language tag for dates, numbers and money in the console, agent app and PDFs. */
  locale: text('locale').notNull().default('en'),
  /** The hotspot login page customers open (cards, SMS); null: the server's KASI_HOTSPOT_URL. */
  hotspotUrl: text('hotspot_url'),
  /** Colour (#rrggbb) for cards, receipts and portal pages; null: Kasi's. */
  brandColour: text('brand_colour'),
  /** Logo for cards, receipts and portal pages: a small PNG/JPEG/WebP as a data: URL. */
  logo: text('logo'),
  settings: jsonb('settings').$type<TenantSettings>().notNull().default({}),
  /**
   * Address ranges (CIDR) the tenant's MikroTik routers may be at. Empty: the default rule
   * (any ordinary address; loopback, link-local and the server's own addresses refused).
   * Set by the server's operator (CLI): a range here can open loopback to the API client.
   */
  routerAllowedCidrs: text('router_allowed_cidrs')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const tenantKeys = pgTable(
  'tenant_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** The tenant's AES-256 data key, wrapped (AES-256-GCM) under the master key. */
    wrappedKey: text('wrapped_key').notNull(),
    masterKeyId: text('master_key_id').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tenant_keys_tenant_version').on(t.tenantId, t.version)],
);
