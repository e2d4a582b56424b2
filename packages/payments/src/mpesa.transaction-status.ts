// Daraja Transaction Status and Pull Transactions: the two ways to learn about M-Pesa money
// without a callback. Transaction Status is asynchronous — the request is accepted with a
// ConversationID and the answer is POSTed later to the ResultURL (or QueueTimeOutURL) as
// `{Result: {ResultCode, ResultDesc, ConversationID, OriginatorConversationID, TransactionID,
// ResultParameters: {ResultParameter: [{Key, Value}]}, ReferenceData: {ReferenceItem}}}`.
// Kasi puts its own query id in `Occasion`, which comes back in ReferenceData.
// Pull Transactions lists C2B payments to the shortcode for at most the last 48 hours.
import { z } from 'zod';
import { parseJson } from './mpesa.callback.ts';

const kv = z.object({ Key: z.string(), Value: z.union([z.string(), z.number()]).optional() });

export const transactionStatusResultSchema = z.object({
  Result: z.object({
    ResultType: z.union([z.number(), z.string()]).optional(),
    ResultCode: z.union([z.number(), z.string()]),
    ResultDesc: z.string().optional().default(''),
    OriginatorConversationID: z.string().optional(),
    ConversationID: z.string().optional(),
    TransactionID: z.string().optional(),
    ResultParameters: z.object({ ResultParameter: z.union([z.array(kv), kv]) }).optional(),
    ReferenceData: z.object({ ReferenceItem: z.union([z.array(kv), kv]) }).optional(),
  }),
});

export interface TransactionStatusResult {
  /** Daraja's ResultCode: 0 the query was answered; anything else it was not (not found, refused). */
  resultCode: string;
  resultDesc: string;
  conversationId: string | null;
  /** Kasi's own query id, echoed from `Occasion`. */
  occasion: string | null;
  /** The transaction was found and completed. */
  completed: boolean;
  /** `TransactionStatus` as M-Pesa words it (Completed, Cancelled, Failed…). */
  transactionStatus: string | null;
  receipt: string | null;
  /** Whole shillings as Kasi minor units (KES has two decimals). */
  amountMinor: bigint | null;
  debitParty: string | null;
  finalisedAt: string | null;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function shillingsToMinor(v: string | number | undefined): bigint | null {
  const s = String(v ?? '').trim();
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '0').padEnd(2, '0'));
}

/** Parses a ResultURL or QueueTimeOutURL body; undefined when it is not a Transaction Status answer. */
export function parseTransactionStatusResult(raw: Buffer): TransactionStatusResult | undefined {
  const parsed = transactionStatusResultSchema.safeParse(parseJson(raw));
  if (!parsed.success) return undefined;
  const r = parsed.data.Result;
  const params = new Map(list(r.ResultParameters?.ResultParameter).map((p) => [p.Key, p.Value]));
  const refs = new Map(list(r.ReferenceData?.ReferenceItem).map((p) => [p.Key, p.Value]));
  const code = String(r.ResultCode);
  const status = params.get('TransactionStatus');
  const receipt = params.get('ReceiptNo') ?? r.TransactionID;
  return {
    resultCode: code,
    resultDesc: r.ResultDesc,
    conversationId: r.ConversationID ?? null,
    occasion: refs.get('Occasion') === undefined ? null : String(refs.get('Occasion')),
    completed: code === '0' && String(status ?? '') === 'Completed',
    transactionStatus: status === undefined ? null : String(status),
    receipt: receipt === undefined || receipt === '' ? null : String(receipt),
    amountMinor: shillingsToMinor(params.get('Amount')),
    debitParty: params.get('DebitPartyName') === undefined ? null : String(params.get('DebitPartyName')),
    finalisedAt: params.get('FinalisedTime') === undefined ? null : String(params.get('FinalisedTime')),
  };
}

/** One C2B payment as Pull Transactions lists it. */
export interface MpesaPulledTransaction {
  transactionId: string;
  /** Daraja's local (EAT) date-time, `YYYY-MM-DD HH:mm:ss`. */
  at: Date;
  amountMinor: bigint;
  billReference: string | null;
  type: string;
}

export const pullResponseSchema = z.object({
  ResponseCode: z.union([z.string(), z.number()]),
  ResponseMessage: z.string().optional(),
  Response: z
    .array(
      z.array(
        z.object({
          transactionId: z.string(),
          trxDate: z.string(),
          msisdn: z.union([z.string(), z.number()]).optional(),
          transactiontype: z.string().optional().default(''),
          billreference: z.string().optional().nullable(),
          amount: z.union([z.string(), z.number()]),
        }),
      ),
    )
    .optional()
    .default([]),
});

/** Daraja's Pull dates are Kenyan wall-clock time (EAT, UTC+3): `YYYY-MM-DD HH:mm:ss`. */
export function eatDateTime(at: Date): string {
  const eat = new Date(at.getTime() + 3 * 3_600_000);
  return eat.toISOString().slice(0, 19).replace('T', ' ');
}

export function parseEatDateTime(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, se] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h! - 3, mi!, se!));
}

export function pulledTransactions(body: unknown): MpesaPulledTransaction[] {
  const parsed = pullResponseSchema.parse(body);
  return parsed.Response.flat().flatMap((t) => {
    const at = parseEatDateTime(t.trxDate);
    const amountMinor = shillingsToMinor(t.amount);
    if (!at || amountMinor === null) return [];
    return [
      {
        transactionId: t.transactionId,
        at,
        amountMinor,
        billReference: t.billreference?.trim() || null,
        type: t.transactiontype,
      },
    ];
  });
}
