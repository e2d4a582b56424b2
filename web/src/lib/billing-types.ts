// Types of the billing API's answers, inferred from the server's router type (no runtime import).
import type { api } from './api.ts';

type Output<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export type BillingAccount = Output<typeof api.billing.account.query>;
export type BillingSettingsView = Output<typeof api.billing.settings.query>;
export type InvoiceSummary = Output<typeof api.invoice.list.query>[number];
export type InvoiceDetail = Output<typeof api.invoice.get.query>;
export type PaymentRow = Output<typeof api.payment.list.query>[number];
/** A code's "buy plan" purchase with its refunds (null: the code was not bought online). */
export type PlanPurchase = NonNullable<Output<typeof api.gateway.planPurchase.query>>;
export type PlanPurchaseRow = Output<typeof api.gateway.planPurchases.query>[number];
/** A reconciliation run's money for its day in one currency, as the provider and Kasi report it. */
export type ReconcileFigureRow = Output<typeof api.reconcile.day.query>['runs'][number]['figures'][number];
