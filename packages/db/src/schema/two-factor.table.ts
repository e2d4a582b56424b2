// Operator sign-in beyond the password: TOTP enrolments, recovery codes, the pending second
// step of a login, and admin-issued password reset links. Codes and tokens are stored only
// as SHA-256 digests; the TOTP secret is sealed under a tenant data key (ADR 0014).
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from './columns.ts';
import { users } from './user.table.ts';

const userRef = () =>
  uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' });

/** One TOTP enrolment per user (users are global, so it holds for every membership). */
export const userTwoFactor = pgTable('user_two_factor', {
  userId: userRef().primaryKey(),
  /** The tenant whose data key seals the secret: the one the user enrolled from. */
  tenantId: tenantId(),
  /** Keyring ciphertext of the base32 secret, bound to the tenant and `user.totp/<userId>`. */
  secretSealed: text('secret_sealed').notNull(),
  /** Null while enrolment awaits its first code; only confirmed enrolments guard a login. */
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  /** The last accepted TOTP time step: a code from it or earlier is refused (no replay). */
  lastTimeStep: integer('last_time_step'),
  createdAt: createdAt(),
});

export const userRecoveryCodes = pgTable(
  'user_recovery_codes',
  {
    id: id(),
    userId: userRef(),
    /** SHA-256 (hex) of the normalised code; codes carry 80 random bits, so no slow hash. */
    codeHash: text('code_hash').notNull().unique(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('user_recovery_codes_user').on(t.userId)],
);

/** A password was right and a second factor is due: not a session, it opens nothing else. */
export const loginChallenges = pgTable(
  'login_challenges',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: userRef(),
    tenantId: tenantId(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [index('login_challenges_user').on(t.userId)],
);

/** Single-use links an owner or admin hands to a member who cannot sign in. */
export const passwordResets = pgTable(
  'password_resets',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: userRef(),
    /** The tenant whose owner or admin issued it (and whose audit chain records it). */
    tenantId: tenantId(),
    createdBy: text('created_by').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('password_resets_user').on(t.userId)],
);
