// Billing input shapes (settings, invoices, payments, credits), shared by the tRPC
// procedures, the CLI and the PWA forms. Amounts are bigint minor units.
import { z } from 'zod';
import { assertCurrency } from './money.ts';
import { assertTimeZone } from './billing-period.ts';

const currency = z.string().transform((c, ctx) => {
  try {
    return assertCurrency(c);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'ISO 4217 code such as KES or USD' });
    return z.NEVER;
  }
});

const timeZone = z.string().transform((tz, ctx) => {
  try {
    return assertTimeZone(tz);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'An IANA time zone such as Africa/Nairobi' });
    return z.NEVER;
  }
});

export const taxRateInput = z.object({
  id: z.string().trim().min(1).max(40),
  name: z.string().trim().min(1).max(60),
  rateBps: z.number().int().min(0).max(10_000),
  inclusive: z.boolean(),
});
export type TaxRateSetting = z.output<typeof taxRateInput>;

export const billingSettingsInput = z.object({
  /** null: the tenant's own time zone. */
  timezone: timeZone.nullable(),
  /** null: each subscriber's anniversary; 1–28: that day of every month. */
  billingDay: z.number().int().min(1).max(28).nullable(),
  issueDaysBeforeDue: z.number().int().min(0).max(60),
  dueDays: z.number().int().min(0).max(90),
  graceDays: z.number().int().min(0).max(90),
  taxRates: z
    .array(taxRateInput)
    .max(20)
    .refine((r) => new Set(r.map((x) => x.id)).size === r.length, 'Tax rate ids must be unique'),
  /** The rate put on plan lines; null = no tax. Must name one of `taxRates`. */
  defaultTaxRateId: z.string().nullable(),
  invoicePrefix: z
    .string()
    .trim()
    .max(12)
    .regex(/^[A-Za-z0-9/_-]*$/),
  creditNotePrefix: z
    .string()
    .trim()
    .max(12)
    .regex(/^[A-Za-z0-9/_-]*$/),
  receiptPrefix: z
    .string()
    .trim()
    .max(12)
    .regex(/^[A-Za-z0-9/_-]*$/),
  legalName: z.string().trim().max(200).nullable(),
  legalAddress: z.string().trim().max(500).nullable(),
  taxId: z.string().trim().max(60).nullable(),
  /** Credit notes and write-offs above this need a second person; null = never. */
  approvalThresholdMinor: z.bigint().nonnegative().nullable(),
});
export type BillingSettingsValues = z.output<typeof billingSettingsInput>;
export const billingSettingsPatch = billingSettingsInput.partial();
export type BillingSettingsPatch = z.input<typeof billingSettingsPatch>;

export const LINE_KINDS = [
  'plan',
  'proration',
  'installation',
  'equipment',
  'reconnection',
  'discount',
  'other',
] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export const invoiceLineInput = z
  .object({
    kind: z.enum(LINE_KINDS),
    description: z.string().trim().min(1).max(200),
    quantity: z.number().int().min(1).max(100_000).default(1),
    unitPriceMinor: z.bigint(),
    /** A tax rate id from the billing settings; null = no tax on this line. */
    taxRateId: z.string().nullable().default(null),
  })
  // Proration lines go either way (credit for the unused old plan, charge for the new one).
  .refine(
    (l) => l.kind === 'proration' || (l.kind === 'discount' ? l.unitPriceMinor < 0n : l.unitPriceMinor >= 0n),
    {
      message: 'A discount is a negative price; every other line except proration is zero or more',
      path: ['unitPriceMinor'],
    },
  );
export type InvoiceLineInput = z.input<typeof invoiceLineInput>;

export const invoiceDraftInput = z.object({
  subscriberId: z.uuid(),
  lines: z.array(invoiceLineInput).min(1).max(200),
  memo: z.string().trim().max(500).nullable().default(null),
});
export type InvoiceDraftInput = z.input<typeof invoiceDraftInput>;

/** Methods an operator records by hand. */
export const PAYMENT_METHODS = ['cash', 'bank_transfer', 'cheque'] as const;
/** Methods a payment gateway records (issue 13): never offered on the manual form. */
export const GATEWAY_PAYMENT_METHODS = ['mpesa', 'card', 'paypal'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number] | (typeof GATEWAY_PAYMENT_METHODS)[number];

export const paymentInput = z.object({
  subscriberId: z.uuid(),
  amountMinor: z.bigint(),
  currency,
  method: z.enum([...PAYMENT_METHODS, ...GATEWAY_PAYMENT_METHODS]),
  /** The paper receipt's number; empty = the next from the tenant's receipt series. */
  receiptNumber: z.string().trim().min(1).max(40).nullable().default(null),
  /** Settle this invoice first (it must be open); otherwise oldest first. */
  invoiceId: z.uuid().nullable().default(null),
  reference: z.string().trim().max(100).nullable().default(null),
  /** The caller's id for this payment: recording it again adds nothing. */
  sourceId: z.string().trim().min(1).max(100).nullable().default(null),
});
export type PaymentInput = z.input<typeof paymentInput>;

export const creditNoteInput = z.object({
  invoiceId: z.uuid(),
  /** null: the whole rest of the invoice (a void). */
  amountMinor: z.bigint().positive().nullable().default(null),
  reason: z.string().trim().min(1).max(300),
});
export type CreditNoteInput = z.input<typeof creditNoteInput>;

export const writeOffInput = z.object({
  invoiceId: z.uuid(),
  reason: z.string().trim().min(1).max(300),
});
export type WriteOffInput = z.input<typeof writeOffInput>;
