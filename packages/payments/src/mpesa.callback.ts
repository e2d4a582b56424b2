// Parsing Daraja's unsigned callbacks into normalised events. There is no signature to check:
// the server only accepts them on a per-tenant secret path, and confirms an STK result with an
// STK query before crediting. Match on CheckoutRequestID — AccountReference is not echoed.
import { z } from 'zod';
import type { PaymentEvent } from './gateway.ts';
import { MPESA_PAID, mpesaReason } from './mpesa.results.ts';

const item = z.object({ Name: z.string(), Value: z.union([z.string(), z.number()]).optional() });

export const stkCallbackSchema = z.object({
  Body: z.object({
    stkCallback: z.object({
      MerchantRequestID: z.string(),
      CheckoutRequestID: z.string().min(1),
      ResultCode: z.union([z.number(), z.string()]),
      ResultDesc: z.string().optional(),
      CallbackMetadata: z.object({ Item: z.array(item) }).optional(),
    }),
  }),
});

export const c2bSchema = z.object({
  TransactionType: z.string().optional(),
  TransID: z.string().min(1),
  TransTime: z.string().optional(),
  TransAmount: z.union([z.string(), z.number()]),
  BusinessShortCode: z.string().optional(),
  BillRefNumber: z.string().optional().default(''),
  MSISDN: z.string().optional(),
});

const wholeShillings = (v: string | number | undefined): bigint | null => {
  const s = String(v ?? '').trim();
  if (!/^\d+(\.0+)?$/.test(s)) return null;
  return BigInt(s.split('.')[0]!) * 100n;
};

export function stkEvent(parsed: z.output<typeof stkCallbackSchema>): PaymentEvent {
  const cb = parsed.Body.stkCallback;
  const code = String(cb.ResultCode);
  const meta = new Map((cb.CallbackMetadata?.Item ?? []).map((i) => [i.Name, i.Value]));
  const paid = code === MPESA_PAID;
  return {
    // A repeated callback is the same event; a different result for the same push is not (a
    // forged or early failure must not swallow the real payment that follows).
    eventId: `stk:${cb.CheckoutRequestID}:${code}`,
    type: paid ? 'succeeded' : 'failed',
    providerRef: cb.CheckoutRequestID,
    attemptId: null,
    amountMinor: paid ? wholeShillings(meta.get('Amount')) : null,
    currency: 'KES',
    receipt: paid ? String(meta.get('MpesaReceiptNumber') ?? '') || null : null,
    resultCode: code,
    reason: paid ? null : mpesaReason(code, cb.ResultDesc),
  };
}

export function c2bEvent(parsed: z.output<typeof c2bSchema>): PaymentEvent {
  return {
    eventId: `c2b:${parsed.TransID}`,
    type: 'direct_payment',
    providerRef: parsed.TransID,
    attemptId: null,
    amountMinor: wholeShillings(parsed.TransAmount),
    currency: 'KES',
    receipt: parsed.TransID,
    resultCode: MPESA_PAID,
    reason: null,
    accountReference: parsed.BillRefNumber.trim() || null,
  };
}

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
