// The billing forms' text → the shared schemas' shapes: decimal amounts in the tenant's
// currency become exact minor units; blank optional fields are "not set".
import {
  billingSettingsPatch,
  creditNoteInput,
  invoiceDraftInput,
  type InvoiceDraftInput,
  type LineKind,
  paymentInput,
  planRefundInput,
  refundInput,
  type BillingSettingsPatch,
  type PlanRefundInput,
  type RefundInput,
  type CreditNoteInput,
  type PaymentInput,
  type PaymentMethod,
  type TaxRateSetting,
} from '@kasi/domain';
import { amountFromText } from './cash-form.ts';
import type { FieldErrors } from './errors.ts';
import { blankToNull, validate, wholeNumber, type Parsed } from './form-input.ts';
import { m } from './i18n/locale.ts';

export interface PaymentFields {
  amount: string;
  currency: string;
  method: PaymentMethod;
  receiptNumber: string;
  reference: string;
  invoiceId: string;
}

export const emptyPaymentFields = (currency: string, invoiceId = ''): PaymentFields => ({
  amount: '',
  currency,
  method: 'cash',
  receiptNumber: '',
  reference: '',
  invoiceId,
});

export function toPaymentInput(subscriberId: string, f: PaymentFields): Parsed<PaymentInput> {
  const errors: FieldErrors = {};
  return validate(
    paymentInput,
    {
      subscriberId,
      amountMinor: amountFromText('amountMinor', f.amount, f.currency, errors),
      currency: f.currency,
      method: f.method,
      receiptNumber: blankToNull(f.receiptNumber),
      reference: blankToNull(f.reference),
      invoiceId: blankToNull(f.invoiceId),
    },
    errors,
  );
}

export interface CreditFields {
  /** Blank: all that is left (a void). */
  amount: string;
  reason: string;
}

export function toCreditNoteInput(
  invoiceId: string,
  currency: string,
  f: CreditFields,
): Parsed<CreditNoteInput> {
  const errors: FieldErrors = {};
  return validate(
    creditNoteInput,
    {
      invoiceId,
      amountMinor: amountFromText('amountMinor', f.amount, currency, errors) ?? null,
      reason: f.reason,
    },
    errors,
  );
}

export interface SettingsFields {
  timezone: string;
  billingDay: string;
  issueDaysBeforeDue: string;
  dueDays: string;
  graceDays: string;
  invoicePrefix: string;
  creditNotePrefix: string;
  receiptPrefix: string;
  legalName: string;
  legalAddress: string;
  taxId: string;
  approvalThreshold: string;
  defaultTaxRateId: string;
  taxRates: TaxRateFields[];
}

export interface TaxRateFields {
  id: string;
  name: string;
  /** Percent as typed: "16" or "7.5". */
  percent: string;
  inclusive: boolean;
}

/** "16" → 1600 bps, "7.5" → 750; anything else is left for the schema to refuse. */
export function percentToBps(text: string): number | undefined {
  const m = /^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export const bpsToPercent = (bps: number) =>
  `${Math.floor(bps / 100)}${
    bps % 100
      ? `.${String(bps % 100)
          .padStart(2, '0')
          .replace(/0$/, '')}`
      : ''
  }`;

export function settingsFields(
  s: {
    timezone: string | null;
    billingDay: number | null;
    issueDaysBeforeDue: number;
    dueDays: number;
    graceDays: number;
    invoicePrefix: string;
    creditNotePrefix: string;
    receiptPrefix: string;
    legalName: string | null;
    legalAddress: string | null;
    taxId: string | null;
    approvalThresholdMinor: bigint | null;
    defaultTaxRateId: string | null;
    taxRates: TaxRateSetting[];
    currency: string;
  },
  formatAmount: (minor: bigint) => string,
): SettingsFields {
  return {
    timezone: s.timezone ?? '',
    billingDay: s.billingDay === null ? '' : String(s.billingDay),
    issueDaysBeforeDue: String(s.issueDaysBeforeDue),
    dueDays: String(s.dueDays),
    graceDays: String(s.graceDays),
    invoicePrefix: s.invoicePrefix,
    creditNotePrefix: s.creditNotePrefix,
    receiptPrefix: s.receiptPrefix,
    legalName: s.legalName ?? '',
    legalAddress: s.legalAddress ?? '',
    taxId: s.taxId ?? '',
    approvalThreshold: s.approvalThresholdMinor === null ? '' : formatAmount(s.approvalThresholdMinor),
    defaultTaxRateId: s.defaultTaxRateId ?? '',
    taxRates: s.taxRates.map((r) => ({
      id: r.id,
      name: r.name,
      percent: bpsToPercent(r.rateBps),
      inclusive: r.inclusive,
    })),
  };
}

export function toSettingsPatch(f: SettingsFields, currency: string): Parsed<BillingSettingsPatch> {
  const errors: FieldErrors = {};
  return validate(
    billingSettingsPatch,
    {
      timezone: blankToNull(f.timezone),
      billingDay: blankToNull(f.billingDay) === null ? null : wholeNumber(f.billingDay),
      issueDaysBeforeDue: wholeNumber(f.issueDaysBeforeDue),
      dueDays: wholeNumber(f.dueDays),
      graceDays: wholeNumber(f.graceDays),
      invoicePrefix: f.invoicePrefix,
      creditNotePrefix: f.creditNotePrefix,
      receiptPrefix: f.receiptPrefix,
      legalName: blankToNull(f.legalName),
      legalAddress: blankToNull(f.legalAddress),
      taxId: blankToNull(f.taxId),
      approvalThresholdMinor:
        amountFromText('approvalThresholdMinor', f.approvalThreshold, currency, errors) ?? null,
      defaultTaxRateId: blankToNull(f.defaultTaxRateId),
      taxRates: f.taxRates.map((r) => ({
        id: r.id.trim(),
        name: r.name,
        rateBps: percentToBps(r.percent),
        inclusive: r.inclusive,
      })),
    },
    errors,
  );
}

export interface ChargeFields {
  kind: LineKind;
  description: string;
  quantity: string;
  /** Typed without a sign; a discount is made negative here. */
  amount: string;
  taxRateId: string;
}

export const emptyChargeFields = (): ChargeFields => ({
  kind: 'installation',
  description: '',
  quantity: '1',
  amount: '',
  taxRateId: '',
});

/** A one-off charge (installation, equipment, reconnection) or a discount as a one-line draft. */
export function toChargeDraft(
  subscriberId: string,
  currency: string,
  f: ChargeFields,
): Parsed<InvoiceDraftInput> {
  const errors: FieldErrors = {};
  const amount = amountFromText('lines.0.unitPriceMinor', f.amount, currency, errors);
  const parsed = validate(
    invoiceDraftInput,
    {
      subscriberId,
      lines: [
        {
          kind: f.kind,
          description: f.description,
          quantity: wholeNumber(f.quantity),
          unitPriceMinor: amount === undefined ? undefined : f.kind === 'discount' ? -amount : amount,
          taxRateId: blankToNull(f.taxRateId),
        },
      ],
    },
    errors,
  );
  if (parsed.ok) return parsed;
  // The form has one line: show its errors under the plain field names.
  const flat: FieldErrors = {};
  for (const [k, v] of Object.entries(parsed.errors)) flat[k.replace(/^lines\.0\./, '')] = v;
  return { ok: false, errors: flat };
}

export interface RefundFields {
  paymentId: string;
  amount: string;
  reason: string;
  /** M-Pesa: the reversal's transaction id from the M-Pesa portal. */
  reference: string;
}

export const emptyRefundFields = (): RefundFields => ({
  paymentId: '',
  amount: '',
  reason: '',
  reference: '',
});

export function toRefundInput(currency: string, f: RefundFields): Parsed<RefundInput> {
  const errors: FieldErrors = {};
  if (!f.paymentId) errors['paymentId'] = m.console_billing_choose_payment();
  return validate(
    refundInput,
    {
      paymentId: f.paymentId,
      amountMinor: amountFromText('amountMinor', f.amount, currency, errors),
      reason: f.reason,
      reference: blankToNull(f.reference.toUpperCase()),
    },
    errors,
  );
}

/**
 * A plan purchase given back: the whole charge, so no amount; the person ticks that the code
 * stops working (and any session on it ends) before it goes.
 */
export function toPlanRefundInput(
  attemptId: string,
  f: Pick<RefundFields, 'reason' | 'reference'>,
  confirmed: boolean,
): Parsed<PlanRefundInput> {
  const errors: FieldErrors = {};
  if (!confirmed) errors['confirm'] = m.payments_plan_refund_confirm_needed();
  return validate(
    planRefundInput,
    { attemptId, reason: f.reason, reference: blankToNull(f.reference.toUpperCase()) },
    errors,
  );
}
