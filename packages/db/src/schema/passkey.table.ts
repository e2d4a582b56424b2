// WebAuthn passkeys as an operator's second factor (ADR 0014, "Passkeys"). A credential's public
// key is not a secret, so it is stored as it came (base64url COSE); the private key never leaves
// the authenticator. Challenges are stored server-side: one pending per user and purpose, spent
// by the step that checks it, and short-lived.
import {
  bigint,
  boolean,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from './columns.ts';
import { users } from './user.table.ts';

const userRef = () =>
  uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' });

export const userPasskeys = pgTable(
  'user_passkeys',
  {
    id: id(),
    userId: userRef(),
    /** The tenant the person registered it from (whose audit chain records it). */
    tenantId: tenantId(),
    /** The person's own label ("YubiKey", "Work laptop"). */
    name: text('name').notNull(),
    /** The credential id, base64url, as the authenticator gave it. */
    credentialId: text('credential_id').notNull(),
    /** COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    /** The last signature counter seen: an assertion must carry a higher one (unless both are 0). */
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    /** Transports the browser reported (usb, internal, hybrid…), handed back as hints. */
    transports: text('transports').array().notNull().default([]),
    /** Synced passkey (multi-device) or bound to one authenticator. */
    backedUp: boolean('backed_up').notNull().default(false),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('user_passkeys_user').on(t.userId),
    uniqueIndex('user_passkeys_user_credential').on(t.userId, t.credentialId),
  ],
);

/** A pending WebAuthn ceremony: registering a passkey, or signing in with one. */
export const webauthnChallenges = pgTable(
  'webauthn_challenges',
  {
    userId: userRef(),
    purpose: text('purpose', { enum: ['register', 'sign_in'] }).notNull(),
    tenantId: tenantId(),
    /** base64url, as sent to the browser; compared exactly and deleted when checked. */
    challenge: text('challenge').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.purpose] })],
);
