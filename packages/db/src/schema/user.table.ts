// Operators and agents: global identities with per-tenant memberships and roles,
// plus their login sessions (only a hash of the cookie token is stored).
import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Role } from '@kasi/domain';
import { createdAt, id, tenantId } from './columns.ts';

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** argon2id PHC string. */
    passwordHash: text('password_hash').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** The console language this person chose (en, sw, fr); null: the tenant's (ADR 0030). */
    locale: text('locale'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_lower').on(sql`lower(${t.email})`)],
);

export const memberships = pgTable(
  'memberships',
  {
    tenantId: tenantId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    /** Deactivated in this tenant: cannot sign in here; rows they made keep their name. */
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index('memberships_user').on(t.userId)],
);

export const authSessions = pgTable(
  'auth_sessions',
  {
    /** SHA-256 of the random cookie token; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    /** What the console names a session by (listing, revoking): never the token or its hash. */
    id: uuid('id').notNull().defaultRandom().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: tenantId(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    userAgent: text('user_agent'),
    ip: text('ip'),
    /** The tenant requires two-factor and this owner/admin has none: only enrolment is open. */
    mustEnrolTwoFactor: boolean('must_enrol_two_factor').notNull().default(false),
  },
  (t) => [index('auth_sessions_user').on(t.userId)],
);
