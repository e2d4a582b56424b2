// What an operator submits to give money back on a gateway payment (ADR 0021), and a second operator's
// decision on a refund above the tenant's approval threshold.
import { z } from 'zod';

export const refundInput = z.object({
  paymentId: z.uuid(),
  amountMinor: z.bigint(),
  reason: z.string().trim().min(1, 'Say why the money goes back').max(300),
  /** M-Pesa: the reversal's transaction id from the M-Pesa portal (M-Pesa has no refund API Kasi calls). */
  reference: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{8,20}$/, 'The reversal transaction id from the M-Pesa portal, e.g. RKT3ABCD12')
    .nullable()
    .default(null),
});
export type RefundInput = z.input<typeof refundInput>;

export const refundDecisionInput = z.object({
  id: z.uuid(),
  decision: z.enum(['approve', 'reject']),
});

export const refundListInput = z.object({ paymentId: z.uuid().optional() });

/**
 * A "buy plan" purchase given back: the whole charge (the code it bought is voided, so part of
 * it would buy nothing). M-Pesa needs the reversal's transaction id, as for payments.
 */
export const planRefundInput = refundInput.omit({ paymentId: true, amountMinor: true }).extend({
  attemptId: z.uuid(),
});
export type PlanRefundInput = z.input<typeof planRefundInput>;
