// Online payments (issue 13, ADR 0018): a tenant's gateway credentials (sealed under the
// tenant key), pay links (stored hashed), payment attempts (Kasi's own id is the reference at
// the provider) and the webhook inbox (raw provider events, one row per provider event id).
// The payment itself, once confirmed, is an ordinary `payments` row whose source is the attempt.
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bigintExact, createdAt, id, tenantId, updatedAt } from './columns.ts';
import { invoices, payments, type ApprovalState } from './billing.table.ts';
import { plans } from './plan.table.ts';
import { routers } from './router.table.ts';
import { subscribers } from './subscriber.table.ts';
import { vouchers } from './voucher.table.ts';
import { users } from './user.table.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

export type GatewayKind = 'mpesa' | 'stripe' | 'paypal';
export type AttemptStatus = 'created' | 'pending' | 'succeeded' | 'failed';
export type PayLinkKind = 'invoice' | 'balance' | 'plan';
export type InboxOutcome =
  | 'applied'
  | 'duplicate'
  | 'unmatched'
  | 'suspense'
  | 'failed_attempt'
  | 'ignored'
  | 'unconfirmed'
  | 'refunded';
export type RefundKind = 'refund' | 'reversal' | 'dispute';
export type RefundStatus = 'pending_approval' | 'requested' | 'succeeded' | 'failed' | 'rejected';

/** One row per tenant and provider. `sealedConfig` is the adapter's config, JSON, sealed. */
export const paymentGateways = pgTable(
  'payment_gateways',
  {
    id: id(),
    tenantId: tenantId(),
    gateway: text('gateway').$type<GatewayKind>().notNull(),
    enabled: boolean('enabled').notNull().default(false),
    sealedConfig: text('sealed_config').notNull(),
    /** SHA-256 of the secret path segment in this tenant's webhook URLs (M-Pesa is unsigned). */
    hookTokenHash: text('hook_token_hash').notNull(),
    /** The same token sealed, to build callback URLs. */
    sealedHookToken: text('sealed_hook_token').notNull(),
    lastTestedAt: at('last_tested_at'),
    lastTestOk: boolean('last_test_ok'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('payment_gateways_tenant_gateway').on(t.tenantId, t.gateway),
    uniqueIndex('payment_gateways_hook_token').on(t.hookTokenHash),
  ],
);

/**
 * `/p/<token>`: pays an invoice, a subscriber's balance, or buys one voucher code of a plan
 * ("buy plan X", for hotspot customers: no subscriber; the hotspot login page may pass the
 * router, MAC and IP so the device can be logged in once paid). Only the token's hash is kept.
 */
export const payLinks = pgTable(
  'pay_links',
  {
    id: id(),
    tenantId: tenantId(),
    tokenHash: text('token_hash').notNull(),
    kind: text('kind').$type<PayLinkKind>().notNull(),
    subscriberId: uuid('subscriber_id').references(() => subscribers.id),
    invoiceId: uuid('invoice_id').references(() => invoices.id),
    planId: uuid('plan_id').references(() => plans.id),
    routerId: uuid('router_id').references(() => routers.id, { onDelete: 'set null' }),
    clientMac: text('client_mac'),
    clientIp: text('client_ip'),
    /**
     * The hotspot's own login address the device saw (`$(link-login-only)`), where the paid
     * page sends it back with the bought code (ADR 0024); null when not given or not trusted.
     */
    clientLoginUrl: text('client_login_url'),
    /**
     * The buyer's number (E.164) when a "buy plan" link was asked for by SMS (`BUY <plan>`):
     * the bought code is texted there once paid. Cleared by the SMS retention purge.
     */
    buyerPhone: text('buyer_phone'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: at('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('pay_links_token').on(t.tokenHash),
    index('pay_links_subscriber').on(t.subscriberId),
    check('pay_links_invoice_kind', sql`(${t.kind} = 'invoice') = (${t.invoiceId} is not null)`),
    check('pay_links_plan_kind', sql`(${t.kind} = 'plan') = (${t.planId} is not null)`),
    check('pay_links_target', sql`${t.kind} = 'plan' or ${t.subscriberId} is not null`),
  ],
);

/**
 * One try to pay: amount and target are fixed here, never taken from a webhook. The target is
 * a subscriber (invoice or balance) or a plan (one voucher code, issued once: `voucher_id`).
 */
export const paymentAttempts = pgTable(
  'payment_attempts',
  {
    id: id(),
    tenantId: tenantId(),
    subscriberId: uuid('subscriber_id').references(() => subscribers.id),
    invoiceId: uuid('invoice_id').references(() => invoices.id),
    planId: uuid('plan_id').references(() => plans.id),
    /** The code a paid "buy plan" attempt issued (channel `online`); set once. */
    voucherId: uuid('voucher_id').references(() => vouchers.id),
    payLinkId: uuid('pay_link_id').references(() => payLinks.id),
    gateway: text('gateway').$type<GatewayKind>().notNull(),
    status: text('status').$type<AttemptStatus>().notNull().default('created'),
    /** What the page asked for, and what the provider was asked to charge (M-Pesa: whole shillings). */
    amountMinor: bigintExact('amount_minor').notNull(),
    chargedMinor: bigintExact('charged_minor').notNull(),
    currency: text('currency').notNull(),
    /** CheckoutRequestID (M-Pesa) or Checkout Session id (Stripe), once the provider gave one. */
    providerRef: text('provider_ref'),
    /** Masked buyer phone (M-Pesa), for the operator. */
    phoneMasked: text('phone_masked'),
    resultCode: text('result_code'),
    reason: text('reason'),
    receipt: text('receipt'),
    paymentId: uuid('payment_id').references(() => payments.id),
    lastQueriedAt: at('last_queried_at'),
    settledAt: at('settled_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('payment_attempts_provider_ref').on(t.gateway, t.providerRef),
    index('payment_attempts_open').on(t.status, t.createdAt),
    index('payment_attempts_subscriber').on(t.tenantId, t.subscriberId, t.createdAt),
    uniqueIndex('payment_attempts_voucher')
      .on(t.voucherId)
      .where(sql`voucher_id is not null`),
    check('payment_attempts_positive', sql`${t.amountMinor} > 0 and ${t.chargedMinor} > 0`),
    check('payment_attempts_target', sql`(${t.subscriberId} is not null) <> (${t.planId} is not null)`),
  ],
);

/** The webhook inbox: every provider event once, raw, then applied by a job. */
export const paymentEvents = pgTable(
  'payment_events',
  {
    id: id(),
    tenantId: tenantId(),
    gateway: text('gateway').$type<GatewayKind>().notNull(),
    /** Whose event id space it is (the tenant's own account: its id). */
    scope: text('scope').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    type: text('type').notNull(),
    providerRef: text('provider_ref'),
    rawBody: text('raw_body').notNull(),
    receivedAt: createdAt(),
    appliedAt: at('applied_at'),
    outcome: text('outcome').$type<InboxOutcome>(),
    attemptId: uuid('attempt_id').references(() => paymentAttempts.id),
  },
  (t) => [
    uniqueIndex('payment_events_provider_event').on(t.gateway, t.scope, t.providerEventId),
    index('payment_events_tenant').on(t.tenantId, t.receivedAt),
  ],
);

/**
 * Money going back (ADR 0021): a refund through the provider's API, an M-Pesa reversal the
 * operator did in Safaricom's portal (recorded with its reference), or a card dispute. Each
 * succeeded row of a subscriber's payment posts one reversing ledger entry (source `refund`,
 * this id). A "buy plan" purchase has no payment and no subscriber: its refund names the
 * attempt, and succeeding voids the code it bought (at most one live refund per attempt).
 * `source` is unique per tenant: the console's own request id, or the provider event that
 * told Kasi (a refund made in the provider's dashboard, a dispute), so a replayed webhook adds
 * nothing.
 */
export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: id(),
    tenantId: tenantId(),
    paymentId: uuid('payment_id').references(() => payments.id),
    subscriberId: uuid('subscriber_id').references(() => subscribers.id),
    /** A "buy plan" purchase refunded: the attempt that bought the code (no payment row). */
    attemptId: uuid('attempt_id').references(() => paymentAttempts.id),
    gateway: text('gateway').$type<GatewayKind>().notNull(),
    kind: text('kind').$type<RefundKind>().notNull(),
    source: text('source').notNull(),
    status: text('status').$type<RefundStatus>().notNull(),
    amountMinor: bigintExact('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** The provider's refund or dispute id (re_…, PayPal refund id, dp_…). */
    providerRefundId: text('provider_refund_id'),
    /** M-Pesa: the reversal's transaction id from the portal. */
    reference: text('reference'),
    reason: text('reason').notNull(),
    failureReason: text('failure_reason'),
    approval: text('approval').$type<ApprovalState>().notNull().default('none'),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    approvedBy: uuid('approved_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    decidedAt: at('decided_at'),
    settledAt: at('settled_at'),
  },
  (t) => [
    uniqueIndex('payment_refunds_source').on(t.tenantId, t.source),
    uniqueIndex('payment_refunds_provider').on(t.tenantId, t.gateway, t.providerRefundId),
    index('payment_refunds_payment').on(t.tenantId, t.paymentId),
    uniqueIndex('payment_refunds_plan_attempt')
      .on(t.tenantId, t.attemptId)
      .where(sql`attempt_id is not null and status not in ('failed', 'rejected')`),
    check('payment_refunds_positive', sql`${t.amountMinor} > 0`),
    check(
      'payment_refunds_target',
      sql`(${t.paymentId} is not null and ${t.subscriberId} is not null and ${t.attemptId} is null)
        or (${t.paymentId} is null and ${t.subscriberId} is null and ${t.attemptId} is not null)`,
    ),
  ],
);
