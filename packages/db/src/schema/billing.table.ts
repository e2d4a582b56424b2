// Billing: tenant settings, document number series, invoices and credit notes with their
// lines, payments, allocations, write-offs and the append-only per-subscriber ledger.
// Money is bigint minor units plus the ISO currency (ADR 0015). The ledger's balance is
// owned by one SQL view, `subscriber_balances` (migration 0013).
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { InvoiceStatus, LineKind, PaymentMethod, TaxRateSetting } from '@kasi/domain';
import { bigintExact, createdAt, id, tenantId, updatedAt } from './columns.ts';
import { tenants } from './tenant.table.ts';
import { plans } from './plan.table.ts';
import { subscribers } from './subscriber.table.ts';
import { users } from './user.table.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });
/**
 * Financial records outlive a subscriber's erasure: deleting a subscriber with billing rows
 * is refused (NO ACTION, checked at the end of the statement, so a tenant's own cascade works).
 */
const subscriberRef = () =>
  uuid('subscriber_id')
    .notNull()
    .references(() => subscribers.id);
const userRef = (name: string) => uuid(name).references(() => users.id, { onDelete: 'set null' });

export const billingSettings = pgTable('billing_settings', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  /** null: the tenant's own `timezone`. */
  timezone: text('timezone'),
  /** null: anniversary billing; 1–28: that day of every month. */
  billingDay: integer('billing_day'),
  issueDaysBeforeDue: integer('issue_days_before_due').notNull().default(7),
  dueDays: integer('due_days').notNull().default(0),
  graceDays: integer('grace_days').notNull().default(3),
  taxRates: jsonb('tax_rates').$type<TaxRateSetting[]>().notNull().default([]),
  defaultTaxRateId: text('default_tax_rate_id'),
  invoicePrefix: text('invoice_prefix').notNull().default('INV-'),
  creditNotePrefix: text('credit_note_prefix').notNull().default('CN-'),
  receiptPrefix: text('receipt_prefix').notNull().default('RCT-'),
  legalName: text('legal_name'),
  legalAddress: text('legal_address'),
  taxId: text('tax_id'),
  /** Credit notes and write-offs above this need a second person; null = never. */
  approvalThresholdMinor: bigintExact('approval_threshold_minor'),
  /** Tenant-local hour (0–23) of the daily billing run. */
  runHour: integer('run_hour').notNull().default(2),
  /** Reminder days relative to the due date (−3: three days before). */
  reminderDays: integer('reminder_days')
    .array()
    .notNull()
    .default(sql`'{-3,0,3}'::integer[]`),
  /** Weekdays (0 Sunday … 6 Saturday) on which nobody is suspended. */
  noSuspendWeekdays: integer('no_suspend_weekdays')
    .array()
    .notNull()
    .default(sql`'{0,6}'::integer[]`),
  /** Tenant-local dates (YYYY-MM-DD) on which nobody is suspended. */
  holidays: text('holidays')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  /** Whether a suspended account keeps being invoiced (default: no, UCRM #139). */
  accrueWhileSuspended: boolean('accrue_while_suspended').notNull().default(false),
  updatedAt: updatedAt(),
});

export type DocumentSeries = 'invoice' | 'credit_note' | 'receipt';

/**
 * One counter row per tenant and series. A number is taken with `UPDATE … RETURNING` inside
 * the transaction that issues the document: the row lock orders concurrent issuers and a
 * rollback returns the number, so the series has no gaps and never repeats.
 */
export const documentSeries = pgTable(
  'document_series',
  {
    tenantId: tenantId(),
    series: text('series').$type<DocumentSeries>().notNull(),
    lastNumber: bigintExact('last_number')
      .notNull()
      .default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.series] })],
);

/** Per-subscriber billing state: the plan version billed and the current period. */
export const billingAccounts = pgTable('billing_accounts', {
  subscriberId: uuid('subscriber_id')
    .primaryKey()
    .references(() => subscribers.id),
  tenantId: tenantId(),
  currency: text('currency').notNull(),
  planVersion: integer('plan_version'),
  periodStart: at('period_start'),
  periodEnd: at('period_end'),
  /** A plan change waiting for the next period (applied by the billing run). */
  nextPlanId: uuid('next_plan_id').references(() => plans.id),
  nextPlanVersion: integer('next_plan_version'),
  /** Dunning never suspends this account. */
  neverSuspend: boolean('never_suspend').notNull().default(false),
  /** An operator's promise-to-pay extension: no suspension before this instant. */
  promiseToPayUntil: at('promise_to_pay_until'),
  /** Set when dunning suspended the account: only these are restored by a payment. */
  dunningSuspendedAt: at('dunning_suspended_at'),
  /** The last Disconnect sent for a status change by billing (ack / nak / timeout per session). */
  lastDisconnect: jsonb('last_disconnect').$type<Record<string, unknown>>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type InvoiceKind = 'invoice' | 'credit_note';
export type ApprovalState = 'none' | 'pending' | 'approved' | 'rejected';

export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    tenantId: tenantId(),
    subscriberId: subscriberRef(),
    kind: text('kind').$type<InvoiceKind>().notNull().default('invoice'),
    status: text('status').$type<InvoiceStatus>().notNull().default('draft'),
    /** Assigned at finalisation from `document_series`; drafts have none. */
    number: bigintExact('number'),
    displayNumber: text('display_number'),
    currency: text('currency').notNull(),
    subtotalMinor: bigintExact('subtotal_minor')
      .notNull()
      .default(sql`0`),
    taxMinor: bigintExact('tax_minor')
      .notNull()
      .default(sql`0`),
    totalMinor: bigintExact('total_minor')
      .notNull()
      .default(sql`0`),
    /** Payments, credit notes and write-offs settling this invoice (active allocations). */
    allocatedMinor: bigintExact('allocated_minor')
      .notNull()
      .default(sql`0`),
    /** Credit notes issued against this invoice so far. */
    creditedMinor: bigintExact('credited_minor')
      .notNull()
      .default(sql`0`),
    /** A credit note names the invoice it corrects. */
    creditNoteFor: uuid('credit_note_for').references((): AnyPgColumn => invoices.id),
    reason: text('reason'),
    memo: text('memo'),
    periodStart: at('period_start'),
    periodEnd: at('period_end'),
    /** Issued by the billing run for `period_start` (one per subscriber and period). */
    recurring: boolean('recurring').notNull().default(false),
    issuedAt: at('issued_at'),
    dueAt: at('due_at'),
    voidedAt: at('voided_at'),
    approval: text('approval').$type<ApprovalState>().notNull().default('none'),
    requestedBy: userRef('requested_by'),
    approvedBy: userRef('approved_by'),
    /** An external fiscal signature (e.g. Kenya eTIMS) and its QR, once signed. */
    fiscalSignature: text('fiscal_signature'),
    fiscalQr: text('fiscal_qr'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('invoices_tenant_kind_number').on(t.tenantId, t.kind, t.number),
    uniqueIndex('invoices_subscriber_period')
      .on(t.subscriberId, t.periodStart)
      .where(sql`${t.recurring}`),
    index('invoices_subscriber_status').on(t.subscriberId, t.status),
    index('invoices_tenant_created').on(t.tenantId, t.createdAt),
    check('invoices_number_when_issued', sql`(${t.status} = 'draft') = (${t.number} is null)`),
    check(
      'invoices_allocated_range',
      sql`${t.allocatedMinor} >= 0 and ${t.allocatedMinor} <= ${t.totalMinor}`,
    ),
  ],
);

export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: id(),
    tenantId: tenantId(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind').$type<LineKind>().notNull(),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: bigintExact('unit_price_minor').notNull(),
    taxRateId: text('tax_rate_id'),
    taxName: text('tax_name'),
    taxRateBps: integer('tax_rate_bps').notNull().default(0),
    taxInclusive: boolean('tax_inclusive').notNull().default(false),
    netMinor: bigintExact('net_minor').notNull(),
    taxMinor: bigintExact('tax_minor').notNull(),
    totalMinor: bigintExact('total_minor').notNull(),
  },
  (t) => [uniqueIndex('invoice_lines_position').on(t.invoiceId, t.position)],
);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    tenantId: tenantId(),
    subscriberId: subscriberRef(),
    method: text('method').$type<PaymentMethod>().notNull(),
    amountMinor: bigintExact('amount_minor').notNull(),
    currency: text('currency').notNull(),
    receiptNumber: text('receipt_number').notNull(),
    reference: text('reference'),
    /** The caller's id for the payment (a gateway's transaction id): one payment per id. */
    sourceId: text('source_id'),
    receivedAt: at('received_at').notNull().defaultNow(),
    recordedBy: userRef('recorded_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('payments_tenant_receipt').on(t.tenantId, t.receiptNumber),
    uniqueIndex('payments_tenant_source').on(t.tenantId, t.sourceId),
    index('payments_subscriber').on(t.subscriberId, t.receivedAt),
    check('payments_positive', sql`${t.amountMinor} > 0`),
  ],
);

export type AllocationSource = 'payment' | 'credit_note' | 'write_off';

/** Which payment, credit note or write-off settles which invoice. Released on a void. */
export const allocations = pgTable(
  'allocations',
  {
    id: id(),
    tenantId: tenantId(),
    subscriberId: subscriberRef(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    sourceType: text('source_type').$type<AllocationSource>().notNull(),
    sourceId: uuid('source_id').notNull(),
    amountMinor: bigintExact('amount_minor').notNull(),
    createdAt: createdAt(),
    releasedAt: at('released_at'),
  },
  (t) => [
    index('allocations_invoice').on(t.invoiceId),
    index('allocations_source').on(t.sourceType, t.sourceId),
    check('allocations_positive', sql`${t.amountMinor} > 0`),
  ],
);

export const writeOffs = pgTable('write_offs', {
  id: id(),
  tenantId: tenantId(),
  subscriberId: subscriberRef(),
  invoiceId: uuid('invoice_id')
    .notNull()
    .references(() => invoices.id),
  amountMinor: bigintExact('amount_minor').notNull(),
  reason: text('reason').notNull(),
  approval: text('approval').$type<ApprovalState>().notNull().default('none'),
  requestedBy: userRef('requested_by'),
  approvedBy: userRef('approved_by'),
  createdAt: createdAt(),
  decidedAt: at('decided_at'),
});

export type LedgerKind = 'invoice' | 'payment' | 'credit_note' | 'refund' | 'adjustment' | 'write_off';

/**
 * Append-only (a trigger refuses UPDATE and DELETE). Positive: the subscriber owes more;
 * negative: a payment or credit. Unique on its source, so replaying a source adds nothing.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: id(),
    tenantId: tenantId(),
    subscriberId: subscriberRef(),
    kind: text('kind').$type<LedgerKind>().notNull(),
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id').notNull(),
    leg: text('leg').notNull().default('main'),
    amountMinor: bigintExact('amount_minor').notNull(),
    currency: text('currency').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_entries_source').on(t.sourceType, t.sourceId, t.leg),
    index('ledger_entries_subscriber').on(t.subscriberId, t.createdAt),
  ],
);

export type BillingEventKind = 'balance_cleared' | 'payment_recorded';

/**
 * Facts other work reacts to (restore on `balance_cleared`, a receipt SMS on
 * `payment_recorded`), written in the transaction that caused them so none is lost.
 */
export const billingEvents = pgTable(
  'billing_events',
  {
    id: id(),
    tenantId: tenantId(),
    subscriberId: subscriberRef(),
    kind: text('kind').$type<BillingEventKind>().notNull(),
    sourceId: uuid('source_id').notNull(),
    createdAt: createdAt(),
    handledAt: at('handled_at'),
  },
  (t) => [
    uniqueIndex('billing_events_source').on(t.kind, t.sourceId),
    index('billing_events_pending').on(t.tenantId, t.handledAt),
  ],
);

/**
 * A payment started but not yet confirmed (an STK push waiting for its callback, a card
 * checkout): dunning suspends nobody who has one. The payment gateways write and clear these;
 * a row stops counting at `expires_at` so a lost callback cannot shield an account forever.
 */
export const pendingPayments = pgTable(
  'pending_payments',
  {
    id: id(),
    tenantId: tenantId(),
    subscriberId: subscriberRef(),
    /** The attempt's own id (gateway + reference), one row per attempt. */
    source: text('source').notNull(),
    expiresAt: at('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('pending_payments_source').on(t.tenantId, t.source),
    index('pending_payments_subscriber').on(t.subscriberId, t.expiresAt),
  ],
);
