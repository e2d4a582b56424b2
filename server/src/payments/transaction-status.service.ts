// M-Pesa Transaction Status (ADR 0029): how Kasi finds M-Pesa money whose callback never came.
// Two askers: the stale-attempt job, for an STK push the STK query still cannot settle long
// after the prompt expired and whose unconfirmed callback named a receipt (asked once, by that
// receipt: Safaricom documents the receipt or an API OriginatorConversationID as the key, never
// a CheckoutRequestID), and an operator, for a receipt a customer quotes (a Paybill payment
// whose confirmation never arrived). Daraja
// answers later on `/hooks/mm/<token>/status/result` (the tenant's secret path, like every
// M-Pesa callback); the answer is matched to Kasi's own query row by the id Kasi sent as
// `Occasion` and the ConversationID Daraja gave, so a forged or replayed answer changes nothing.
// A completed answer for an attempt settles it through the one settle path (source
// `attempt:<id>`: once); for a receipt it enters the inbox as the C2B confirmation M-Pesa
// would have sent (same inbox key `c2b:<TransID>`: if the real one comes later, it is a duplicate).
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { mpesaStatusQueries, paymentAttempts, writeAudit } from '@kasi/db';
import { invalid } from '@kasi/domain';
import { parseTransactionStatusResult, type Acknowledgement, type MpesaGateway } from '@kasi/payments';
import type { Actor } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { settleAttempt, type AttemptRow } from './attempt-settle.ts';
import { openGateway, type TenantGateway } from './gateway-factory.ts';
import { publicBase, type PaymentDeps } from './payment-deps.ts';
import { webhookUrls } from './webhook-urls.ts';
import { receiveWebhook } from './webhook-inbox.ts';

/** An STK push still unsettled this long after it was sent is asked about by Transaction Status. */
export const STATUS_QUERY_AFTER_MS = 10 * 60_000;

const ACCEPTED: Acknowledgement = {
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify({ ResultCode: 0, ResultDesc: 'Accepted' }),
};

type StatusQueryRow = typeof mpesaStatusQueries.$inferSelect;

async function send(deps: PaymentDeps, tg: TenantGateway, row: StatusQueryRow): Promise<StatusQueryRow> {
  const urls = webhookUrls(publicBase(deps), 'mpesa', tg.hookToken) as {
    statusResult: string;
    statusTimeout: string;
  };
  const { conversationId } = await (tg.gateway as MpesaGateway).queryTransaction({
    transactionId: row.transactionId,
    originalConversationId: row.originalConversationId,
    occasion: row.id,
    resultUrl: urls.statusResult,
    timeoutUrl: urls.statusTimeout,
  });
  const [updated] = await deps.app.db
    .update(mpesaStatusQueries)
    .set({ conversationId })
    .where(and(eq(mpesaStatusQueries.tenantId, row.tenantId), eq(mpesaStatusQueries.id, row.id)))
    .returning();
  return updated!;
}

/**
 * For the stale-attempt job: asks Transaction Status about an M-Pesa attempt the STK query has
 * not settled, once per attempt, when the tenant has Transaction Status credentials. Returns
 * whether a question was sent.
 */
export async function askStatusForStuckAttempt(
  deps: PaymentDeps,
  a: AttemptRow,
  now: Date,
): Promise<boolean> {
  // Safaricom documents Transaction Status by M-Pesa receipt (TransactionID) or by the
  // OriginatorConversationID of an asynchronous API request; an STK push has neither — its
  // CheckoutRequestID belongs to the STK query — so without a receipt nothing is asked (ADR 0029).
  if (a.gateway !== 'mpesa' || !a.receipt) return false;
  if (now.getTime() - a.createdAt.getTime() < STATUS_QUERY_AFTER_MS) return false;
  const { db } = deps.app;
  const [asked] = await db
    .select({ id: mpesaStatusQueries.id })
    .from(mpesaStatusQueries)
    .where(and(eq(mpesaStatusQueries.tenantId, a.tenantId), eq(mpesaStatusQueries.attemptId, a.id)))
    .limit(1);
  if (asked) return false;
  const tg = await openGateway(deps, db, a.tenantId, 'mpesa');
  if (!(tg.gateway as MpesaGateway).canQueryStatus) return false;
  const [row] = await db
    .insert(mpesaStatusQueries)
    .values({
      tenantId: a.tenantId,
      attemptId: a.id,
      transactionId: a.receipt,
      originalConversationId: null,
    })
    .returning();
  try {
    await send(deps, tg, row!);
  } catch (e) {
    // Not asked after all: the next pass tries again.
    await db.delete(mpesaStatusQueries).where(eq(mpesaStatusQueries.id, row!.id));
    throw e;
  }
  return true;
}

/** What the procedure takes; the receipt's shape is checked by the service (a typed error naming the field). */
export const checkMpesaReceiptRequest = z.object({ receipt: z.string().max(40) });

const checkMpesaReceiptInput = z.object({
  receipt: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{8,12}$/, 'An M-Pesa receipt is 8 to 12 letters and digits, e.g. RKT0000001'),
});

/** The console: "a customer says they paid; ask M-Pesa about receipt X" (billing.write, audited). */
export async function checkMpesaReceipt(
  deps: PaymentDeps,
  actor: Actor,
  input: z.input<typeof checkMpesaReceiptRequest>,
) {
  requirePermission(actor, 'billing.write');
  const parsed = checkMpesaReceiptInput.safeParse(input);
  if (!parsed.success) {
    throw invalid('PAYMENT.BAD_RECEIPT', parsed.error.issues[0]?.message ?? 'Not an M-Pesa receipt', {
      field: 'receipt',
    });
  }
  const { db } = deps.app;
  const tg = await openGateway(deps, db, actor.tenantId, 'mpesa');
  if (!(tg.gateway as MpesaGateway).canQueryStatus) {
    throw invalid(
      'PAYMENT.MPESA_NO_INITIATOR',
      'Transaction Status needs an initiator name and security credential in the M-Pesa settings',
    );
  }
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .insert(mpesaStatusQueries)
      .values({ tenantId: actor.tenantId, transactionId: parsed.data.receipt, requestedBy: actor.userId })
      .returning();
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'payment.mpesa.status_query',
      entityType: 'mpesa_status_query',
      entityId: r!.id,
      after: { receipt: parsed.data.receipt },
    });
    return r!;
  });
  try {
    const sent = await send(deps, tg, row);
    return { id: sent.id, state: sent.state };
  } catch (e) {
    // Not asked after all (the audit row says it was tried): nothing waits for an answer.
    await db.delete(mpesaStatusQueries).where(eq(mpesaStatusQueries.id, row.id));
    throw e;
  }
}

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Daraja's answer on the tenant's status path (result or queue timeout). Always a plain 2xx/4xx. */
export async function receiveTransactionStatus(
  deps: PaymentDeps,
  tenantId: string,
  tg: TenantGateway,
  rawBody: Buffer,
  opts: { timedOut: boolean },
): Promise<Acknowledgement> {
  const r = parseTransactionStatusResult(rawBody);
  if (!r) return { status: 400, contentType: 'text/plain', body: 'not a Transaction Status result' };
  const log = deps.app.log.child({ component: 'mpesa-status' });
  const { db } = deps.app;
  const [q] =
    r.occasion && uuidLike.test(r.occasion)
      ? await db
          .select()
          .from(mpesaStatusQueries)
          .where(and(eq(mpesaStatusQueries.tenantId, tenantId), eq(mpesaStatusQueries.id, r.occasion)))
      : [];
  // Only the answer to a question Kasi asked, about the conversation Daraja opened for it.
  if (!q || (q.conversationId !== null && r.conversationId !== q.conversationId)) {
    log.warn({ resultCode: r.resultCode }, 'Transaction Status answer for no query of ours; ignored');
    return ACCEPTED;
  }
  const state = opts.timedOut ? 'timed_out' : r.completed ? 'completed' : 'not_found';
  // Statuses move once; a queue timeout may still be followed by the real result.
  const [moved] = await db
    .update(mpesaStatusQueries)
    .set({
      state,
      resultCode: r.resultCode,
      resultDesc: r.resultDesc.slice(0, 500),
      receipt: r.completed ? r.receipt : null,
      amountMinor: r.completed ? r.amountMinor : null,
      answeredAt: new Date(),
    })
    .where(
      and(
        eq(mpesaStatusQueries.id, q.id),
        state === 'timed_out'
          ? eq(mpesaStatusQueries.state, 'sent')
          : inArray(mpesaStatusQueries.state, ['sent', 'timed_out']),
      ),
    )
    .returning();
  if (!moved) return ACCEPTED; // answered before: a replay changes nothing
  if (state !== 'completed' || !r.receipt) return ACCEPTED;
  if (q.attemptId) {
    const [a] = await db
      .select()
      .from(paymentAttempts)
      .where(and(eq(paymentAttempts.tenantId, tenantId), eq(paymentAttempts.id, q.attemptId)));
    // The answer must be about the receipt asked and carry the attempt's own amount: a forged
    // callback's receipt of some other payment settles nothing. Amount and target come from the
    // attempt (never from the answer): settled once.
    const same = a && r.receipt === q.transactionId && r.amountMinor === a.chargedMinor;
    if (a && !same) {
      log.warn({ attempt: a.id }, 'Transaction Status answer does not match its attempt; not credited');
    }
    if (a && same) {
      await db
        .update(paymentAttempts)
        .set({ receipt: r.receipt, updatedAt: new Date() })
        .where(and(eq(paymentAttempts.id, a.id), eq(paymentAttempts.status, 'pending')));
      await settleAttempt(deps, a, { state: 'succeeded', resultCode: '0', reason: null, receipt: r.receipt });
    }
    return ACCEPTED;
  }
  if (r.amountMinor === null || r.amountMinor <= 0n) return ACCEPTED;
  // A receipt with no attempt: the Paybill confirmation M-Pesa never delivered, entered in the
  // inbox under the key the confirmation would have had. It carries no account reference, so
  // it waits in suspense for the operator to match.
  await receiveWebhook(
    deps,
    { tenantId, gateway: 'mpesa', adapter: tg.gateway },
    {
      rawBody: Buffer.from(
        JSON.stringify({
          TransactionType: 'Transaction Status',
          TransID: r.receipt,
          TransAmount: String(r.amountMinor / 100n),
          BillRefNumber: '',
        }),
      ),
      headers: {},
    },
  );
  return ACCEPTED;
}

/** The latest Transaction Status questions and their answers, newest first (the reconciliation page). */
export async function recentStatusQueries(deps: PaymentDeps, tenantId: string, limit = 20) {
  return deps.app.db
    .select({
      id: mpesaStatusQueries.id,
      attemptId: mpesaStatusQueries.attemptId,
      transactionId: mpesaStatusQueries.transactionId,
      state: mpesaStatusQueries.state,
      resultDesc: mpesaStatusQueries.resultDesc,
      receipt: mpesaStatusQueries.receipt,
      amountMinor: mpesaStatusQueries.amountMinor,
      createdAt: mpesaStatusQueries.createdAt,
      answeredAt: mpesaStatusQueries.answeredAt,
    })
    .from(mpesaStatusQueries)
    .where(eq(mpesaStatusQueries.tenantId, tenantId))
    .orderBy(desc(mpesaStatusQueries.createdAt))
    .limit(limit);
}
