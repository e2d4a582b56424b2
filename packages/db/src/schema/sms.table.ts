// SMS (issue 14, ADR 0022): a tenant's provider settings (credentials sealed under the tenant
// key), its message templates, the outbox (one row per message, whatever its fate), opt-outs,
// bulk sends waiting for a second person, inbound messages, and refused webhook calls.
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bigintExact, createdAt, id, tenantId, updatedAt } from './columns.ts';
import { subscribers } from './subscriber.table.ts';
import { tenants } from './tenant.table.ts';
import { users } from './user.table.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

/** `default`: the process-wide KASI_TWILIO_* account (single-tenant installs). */
export type SmsProviderKind = 'default' | 'twilio' | 'africastalking';
export type SmsStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'skipped';
export type SmsOptOutSource = 'keyword' | 'operator' | 'provider';
export type SmsBulkStatus = 'pending' | 'sent' | 'rejected';

/** One row per tenant that set SMS up; no row: the process-wide default, if there is one. */
export const smsSettings = pgTable(
  'sms_settings',
  {
    id: id(),
    tenantId: tenantId(),
    provider: text('provider').$type<SmsProviderKind>().notNull().default('default'),
    /** The provider's credentials (JSON), sealed; null for `default`. */
    sealedConfig: text('sealed_config'),
    enabled: boolean('enabled').notNull().default(true),
    /** Calling code without + (254): completes national numbers (0712…). */
    countryCode: text('country_code'),
    /** Alphanumeric sender id or number; null: the provider account's default. */
    senderId: text('sender_id'),
    defaultLanguage: text('default_language').notNull().default('en'),
    /** Bulk sends to more recipients than this wait for a second operator; null: never. */
    bulkApprovalThreshold: integer('bulk_approval_threshold'),
    /** SHA-256 of the secret path segment of this tenant's SMS webhook URLs. */
    hookTokenHash: text('hook_token_hash').notNull(),
    sealedHookToken: text('sealed_hook_token').notNull(),
    lastTestedAt: at('last_tested_at'),
    lastTestOk: boolean('last_test_ok'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('sms_settings_tenant').on(t.tenantId),
    uniqueIndex('sms_settings_hook_token').on(t.hookTokenHash),
  ],
);

/** An operator's wording for one event in one language; built-in defaults apply otherwise. */
export const smsTemplates = pgTable(
  'sms_templates',
  {
    id: id(),
    tenantId: tenantId(),
    event: text('event').notNull(),
    language: text('language').notNull(),
    body: text('body').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('sms_templates_event_language').on(t.tenantId, t.event, t.language)],
);

/** The outbox: every message Kasi meant to send, and what became of it. */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: id(),
    tenantId: tenantId(),
    subscriberId: uuid('subscriber_id').references(() => subscribers.id, { onDelete: 'set null' }),
    event: text('event').notNull(),
    language: text('language').notNull(),
    /** +E.164, or what was given when it could not be normalised (then status is skipped). */
    toNumber: text('to_number').notNull(),
    body: text('body').notNull(),
    status: text('status').$type<SmsStatus>().notNull(),
    /** Why skipped or failed (the provider's words), or why still waiting. */
    reason: text('reason'),
    provider: text('provider').$type<SmsProviderKind>(),
    providerMessageId: text('provider_message_id'),
    /** Send attempts made (a retry after a transient refusal counts again). */
    attempts: integer('attempts').notNull().default(0),
    /** A sender holds the message until then; a crashed one's claim lapses. */
    claimedUntil: at('claimed_until'),
    segments: integer('segments').notNull().default(1),
    encoding: text('encoding').$type<'GSM-7' | 'UCS-2'>().notNull().default('GSM-7'),
    /** What the provider reported it cost, in millionths of `costCurrency` (Twilio gives 5 decimals). */
    costMicros: bigintExact('cost_micros'),
    costCurrency: text('cost_currency'),
    /** The provider's delivery status as reported (delivered, undelivered, Failed…). */
    deliveryStatus: text('delivery_status'),
    /** Same key, same message: a replayed cause adds nothing. */
    dedupeKey: text('dedupe_key'),
    bulkId: uuid('bulk_id'),
    /** Not sent after this moment (an OTP is useless later). */
    expiresAt: at('expires_at'),
    createdAt: createdAt(),
    sentAt: at('sent_at'),
    deliveredAt: at('delivered_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('sms_messages_dedupe').on(t.tenantId, t.dedupeKey),
    index('sms_messages_tenant_created').on(t.tenantId, t.createdAt),
    index('sms_messages_provider_id').on(t.provider, t.providerMessageId),
    index('sms_messages_waiting')
      .on(t.tenantId)
      .where(sql`${t.status} = 'queued'`),
  ],
);

/** Numbers that must get nothing more from this tenant. */
export const smsOptOuts = pgTable(
  'sms_opt_outs',
  {
    id: id(),
    tenantId: tenantId(),
    phone: text('phone').notNull(),
    source: text('source').$type<SmsOptOutSource>().notNull(),
    /** The keyword or provider error that did it; the operator's label for a toggle. */
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sms_opt_outs_phone').on(t.tenantId, t.phone)],
);

/** A bulk send: the filter and text, waiting for a second person above the threshold. */
export const smsBulks = pgTable(
  'sms_bulks',
  {
    id: id(),
    tenantId: tenantId(),
    filter: jsonb('filter').$type<Record<string, unknown>>().notNull(),
    body: text('body').notNull(),
    recipientCount: integer('recipient_count').notNull(),
    status: text('status').$type<SmsBulkStatus>().notNull(),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    decidedAt: at('decided_at'),
  },
  (t) => [index('sms_bulks_tenant').on(t.tenantId, t.createdAt)],
);

/** Messages subscribers sent in (keywords), one row per provider message id. */
export const smsInbound = pgTable(
  'sms_inbound',
  {
    id: id(),
    tenantId: tenantId(),
    provider: text('provider').$type<SmsProviderKind>().notNull(),
    providerMessageId: text('provider_message_id').notNull(),
    fromNumber: text('from_number').notNull(),
    body: text('body').notNull(),
    /** What Kasi made of it: BAL, PAY, BUY, HELP, STOP (opt-out), START, or null (help sent). */
    keyword: text('keyword'),
    replyId: uuid('reply_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sms_inbound_provider_id').on(t.tenantId, t.provider, t.providerMessageId)],
);

/** Refused webhook calls (unknown path, bad signature), counted per day; tenant null when unknown. */
export const smsHookRefusals = pgTable(
  'sms_hook_refusals',
  {
    id: id(),
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    reason: text('reason').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [uniqueIndex('sms_hook_refusals_day').on(sql`coalesce(${t.tenantId}::text, '')`, t.day, t.reason)],
);
