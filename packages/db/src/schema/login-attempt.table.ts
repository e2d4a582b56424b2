// Login attempts per throttle key (an account, an account at an address, an address),
// counted in fixed windows. Kept in PostgreSQL so every server process shares the count
// and one conditional upsert can refuse an attempt before any password is checked.
// Keys are SHA-256 digests: people type passwords into the email field.
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const loginAttempts = pgTable('login_attempts', {
  /** SHA-256 (hex) of the throttle key, e.g. of `acct:owner@isp.test`. */
  keyHash: text('key_hash').primaryKey(),
  attempts: integer('attempts').notNull(),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
});
