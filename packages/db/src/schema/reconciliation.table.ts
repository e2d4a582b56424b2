// Reconciliation (issue 13, ADR 0029): once a day per tenant and provider, the provider's own
// list of transactions for the tenant-local day is compared with Kasi's payments; a run keeps
// its counts, each difference and the day's money per currency (gross, fees, refunds,
// disputes, net, payouts). Re-running a day replaces that day's differences (one run
// row per tenant, provider and day). M-Pesa Transaction Status queries (lost callbacks and
// receipts an operator asks about) are kept until their asynchronous answer arrives.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bigintExact, createdAt, id, tenantId } from './columns.ts';
import { payments } from './billing.table.ts';
import { paymentAttempts, type GatewayKind } from './payment.table.ts';
import { users } from './user.table.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

/** Where the provider side came from: the provider's API, or (M-Pesa without Pull) Kasi's own confirmed receipts. */
export type ReconcileSource = 'provider' | 'kasi_receipts';
export type ReconcileStatus = 'running' | 'matched' | 'differences' | 'failed';
export type ReconcileTrigger = 'schedule' | 'manual';
export type DifferenceKind =
  | 'missing_in_kasi'
  | 'missing_at_provider'
  | 'amount_mismatch'
  | 'currency_mismatch'
  /** A refund the provider made that Kasi has no succeeded refund for, or the reverse. */
  | 'refund_missing_in_kasi'
  | 'refund_missing_at_provider'
  /** A dispute (chargeback) the provider took that Kasi has no dispute for, or the reverse (ADR 0037). */
  | 'dispute_missing_in_kasi'
  | 'dispute_missing_at_provider'
  /** A dispute won: the provider gave the money back, which Kasi does not post by itself. */
  | 'dispute_reinstated';

export const reconciliationRuns = pgTable(
  'reconciliation_runs',
  {
    id: id(),
    tenantId: tenantId(),
    gateway: text('gateway').$type<GatewayKind>().notNull(),
    /** The tenant-local day compared (YYYY-MM-DD) and its bounds in UTC. */
    day: text('day').notNull(),
    periodStart: at('period_start').notNull(),
    periodEnd: at('period_end').notNull(),
    source: text('source').$type<ReconcileSource>().notNull(),
    status: text('status').$type<ReconcileStatus>().notNull(),
    trigger: text('trigger').$type<ReconcileTrigger>().notNull(),
    providerCount: integer('provider_count').notNull().default(0),
    kasiCount: integer('kasi_count').notNull().default(0),
    matchedCount: integer('matched_count').notNull().default(0),
    differenceCount: integer('difference_count').notNull().default(0),
    /** Why a run failed (the provider's refusal, no credentials), never a secret. */
    error: text('error'),
    runBy: uuid('run_by').references(() => users.id, { onDelete: 'set null' }),
    startedAt: at('started_at').notNull(),
    finishedAt: at('finished_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reconciliation_runs_day').on(t.tenantId, t.gateway, t.day),
    check('reconciliation_runs_day_format', sql`${t.day} ~ '^\\d{4}-\\d{2}-\\d{2}$'`),
  ],
);

export const reconciliationDifferences = pgTable(
  'reconciliation_differences',
  {
    id: id(),
    tenantId: tenantId(),
    runId: uuid('run_id')
      .notNull()
      .references(() => reconciliationRuns.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<DifferenceKind>().notNull(),
    /** The provider's transaction id (balance transaction's payment intent, PayPal transaction, M-Pesa receipt). */
    providerRef: text('provider_ref'),
    paymentId: uuid('payment_id').references(() => payments.id),
    /** The payment waits in the suspense queue (an M-Pesa C2B payment matching no account). */
    inSuspense: boolean('in_suspense').notNull().default(false),
    providerAmountMinor: bigintExact('provider_amount_minor'),
    providerCurrency: text('provider_currency'),
    kasiAmountMinor: bigintExact('kasi_amount_minor'),
    kasiCurrency: text('kasi_currency'),
    occurredAt: at('occurred_at'),
    createdAt: createdAt(),
  },
  (t) => [index('reconciliation_differences_run').on(t.tenantId, t.runId)],
);

/**
 * A run's money for the day per currency, in minor units: what came in (gross), what the
 * provider kept (fees), what went back (refunds), what chargebacks took less disputes won gave
 * back (disputes), gross less those three (net), and what the provider
 * paid out to the operator's bank (payouts) — the provider's figures where it reports them
 * (null where it does not: M-Pesa reports no fees or payouts Kasi can read), next to Kasi's own
 * received, refunded and disputed totals for the same provider.
 */
export const reconciliationFigures = pgTable(
  'reconciliation_figures',
  {
    id: id(),
    tenantId: tenantId(),
    runId: uuid('run_id')
      .notNull()
      .references(() => reconciliationRuns.id, { onDelete: 'cascade' }),
    currency: text('currency').notNull(),
    grossMinor: bigintExact('gross_minor').notNull(),
    feesMinor: bigintExact('fees_minor'),
    refundsMinor: bigintExact('refunds_minor').notNull(),
    disputesMinor: bigintExact('disputes_minor')
      .notNull()
      .default(sql`0`),
    netMinor: bigintExact('net_minor'),
    payoutsMinor: bigintExact('payouts_minor'),
    /** Refunds above are Kasi's own records (a provider that lists none, M-Pesa). */
    refundsFromKasi: boolean('refunds_from_kasi').notNull().default(false),
    kasiGrossMinor: bigintExact('kasi_gross_minor').notNull(),
    kasiRefundsMinor: bigintExact('kasi_refunds_minor').notNull(),
    kasiDisputesMinor: bigintExact('kasi_disputes_minor')
      .notNull()
      .default(sql`0`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reconciliation_figures_run_currency').on(t.tenantId, t.runId, t.currency)],
);

export type StatusQueryState = 'sent' | 'completed' | 'not_found' | 'timed_out';

/** One Daraja Transaction Status question; its answer arrives later on the ResultURL. */
export const mpesaStatusQueries = pgTable(
  'mpesa_status_queries',
  {
    id: id(),
    tenantId: tenantId(),
    /** The attempt whose STK query could not settle it, or null (a receipt asked about). */
    attemptId: uuid('attempt_id').references(() => paymentAttempts.id),
    /** What was asked: an M-Pesa receipt (TransactionID) or the push's CheckoutRequestID. */
    transactionId: text('transaction_id'),
    originalConversationId: text('original_conversation_id'),
    /** Daraja's id of this query (the answer names it). */
    conversationId: text('conversation_id'),
    state: text('state').$type<StatusQueryState>().notNull().default('sent'),
    resultCode: text('result_code'),
    resultDesc: text('result_desc'),
    receipt: text('receipt'),
    amountMinor: bigintExact('amount_minor'),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    answeredAt: at('answered_at'),
  },
  (t) => [
    index('mpesa_status_queries_attempt').on(t.tenantId, t.attemptId),
    check(
      'mpesa_status_queries_target',
      sql`${t.transactionId} is not null or ${t.originalConversationId} is not null`,
    ),
  ],
);
