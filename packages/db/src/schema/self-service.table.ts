// The subscriber's side: one-time codes sent by SMS (sign-in, changing the phone number) and
// subscriber sessions for the self-service page /my, kept apart from operator sessions.
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from './columns.ts';
import { subscribers } from './subscriber.table.ts';

export type OtpPurpose = 'sign_in' | 'change_phone';
/** Who holds the code: Kasi (hash here, SMS through the outbox) or Twilio Verify. */
export type OtpProvider = 'kasi' | 'twilio_verify';

/**
 * One code sent to one subscriber's number (for change_phone, to the new number). A request
 * for a number no subscriber has stores nothing and sends nothing; its answer is the same.
 */
export const otpChallenges = pgTable(
  'otp_challenges',
  {
    id: id(),
    purpose: text('purpose').$type<OtpPurpose>().notNull(),
    /** E.164: where the code went (for change_phone, the new number). */
    phone: text('phone').notNull(),
    tenantId: tenantId(),
    subscriberId: uuid('subscriber_id')
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    /** SHA-256 of `<id>:<code>`; null when Twilio Verify holds the code. */
    codeHash: text('code_hash'),
    provider: text('provider').$type<OtpProvider>().notNull().default('kasi'),
    /** Checks made, counted before the code is compared (at most 5). */
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('otp_challenges_lookup').on(t.purpose, t.phone, t.createdAt)],
);

/** A signed-in subscriber on /my: found by the cookie token's SHA-256, short-lived, revocable. */
export const subscriberSessions = pgTable(
  'subscriber_sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    tenantId: tenantId(),
    subscriberId: uuid('subscriber_id')
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    method: text('method').$type<'otp' | 'password'>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [index('subscriber_sessions_subscriber').on(t.tenantId, t.subscriberId)],
);
