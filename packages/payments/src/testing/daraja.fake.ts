// A local Daraja: OAuth tokens (which it can expire on demand), STK push that checks the
// Password and field limits, STK query answering from a scripted outcome per push, C2B URL
// registration, Transaction Status (answers built from what the fake knows: paid pushes and
// C2B payments) and Pull Transactions. Callback bodies are built in Daraja's exact shape.
import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeServer, type RecordedRequest } from './fake-server.ts';

export interface DarajaFakeCredentials {
  consumerKey: string;
  consumerSecret: string;
  shortcode: string;
  passkey: string;
}

export const DARAJA_TEST_CREDENTIALS: DarajaFakeCredentials = {
  consumerKey: 'ck_test',
  consumerSecret: 'cs_test',
  shortcode: '174379',
  passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
};

/** A push's scripted end: a result code, or still pending (query says "being processed"). */
export type PushOutcome = number | 'pending';

export interface FakePush {
  checkoutRequestId: string;
  merchantRequestId: string;
  request: Record<string, unknown>;
  outcome: PushOutcome;
  /** The M-Pesa receipt the push gets once paid. */
  receipt: string;
  /** STK query no longer knows it (Daraja forgets pushes): the query answers an error. */
  forgotten?: boolean;
}

/** A Paybill (C2B) payment a customer made on their own. */
export interface FakeC2b {
  transId: string;
  amount: number;
  billRef: string;
  at: Date;
}

/** A Transaction Status question Daraja accepted; its answer is built by `statusResultBody`. */
export interface FakeStatusQuery {
  conversationId: string;
  originatorConversationId: string;
  request: Record<string, unknown>;
}

export interface DarajaFake extends FakeServer {
  pushes: FakePush[];
  c2b: FakeC2b[];
  statusQueries: FakeStatusQuery[];
  tokensIssued: () => number;
  /** A customer pays the Paybill; returns the confirmation M-Pesa would POST (it may never arrive). */
  payC2b(p: { amount: number; billRef: string; at?: Date }): { transaction: FakeC2b; confirmation: string };
  /**
   * The ResultURL body answering a Transaction Status query: found (completed) when its
   * TransactionID is the receipt of a paid push or of a C2B payment, else not found — a
   * CheckoutRequestID (as TransactionID or OriginalConversationID) is not a documented key.
   */
  statusResultBody(q: FakeStatusQuery): string;
  /** Pull Transactions page size (Daraja's is 1000; tests make it small to page). */
  pullPageSize: number;
  /** Makes the current token expired: the next call gets 404.001.03. */
  expireToken(): void;
  /** Outcome for pushes made from now on (default 'pending'). */
  setNextOutcome(outcome: PushOutcome): void;
  /** Answers the next STK push with this Daraja API error instead. */
  failNextPush(errorCode: string, errorMessage: string): void;
  settle(checkoutRequestId: string, outcome: PushOutcome): void;
  /** Runs before the STK push is answered (a callback that beats the push's own answer). */
  beforePushAnswer: ((push: FakePush) => Promise<void>) | null;
  callbackBody(
    checkoutRequestId: string,
    resultCode: number,
    extra?: { amount?: number; receipt?: string },
  ): string;
}

const ERR = (status: number, errorCode: string, errorMessage: string) => ({
  status,
  body: { requestId: randomBytes(4).toString('hex'), errorCode, errorMessage },
});

export async function startDarajaFake(
  creds: DarajaFakeCredentials = DARAJA_TEST_CREDENTIALS,
): Promise<DarajaFake> {
  let token = '';
  let issued = 0;
  let nextOutcome: PushOutcome = 'pending';
  let nextFailure: { errorCode: string; errorMessage: string } | null = null;
  const pushes: FakePush[] = [];
  const c2b: FakeC2b[] = [];
  const statusQueries: FakeStatusQuery[] = [];
  const settings = { pullPageSize: 1000 };
  const receiptId = () => `R${randomBytes(5).toString('hex').toUpperCase()}`;
  const eat = (d: Date) => new Date(d.getTime() + 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  const bearer = (r: RecordedRequest) => r.headers.authorization === `Bearer ${token}` && token !== '';

  const hooks: { beforePushAnswer: ((push: FakePush) => Promise<void>) | null } = { beforePushAnswer: null };
  const server = await startFakeServer(async (r) => {
    if (r.path.startsWith('/oauth/v1/generate')) {
      const basic = Buffer.from(`${creds.consumerKey}:${creds.consumerSecret}`).toString('base64');
      if (r.headers.authorization !== `Basic ${basic}`)
        return ERR(400, '400.008.01', 'Invalid Authentication passed');
      issued += 1;
      token = randomBytes(12).toString('hex');
      return { status: 200, body: { access_token: token, expires_in: '3599' } };
    }
    if (!bearer(r)) return ERR(404, '404.001.03', 'Invalid Access Token');
    const body = JSON.parse(r.body || '{}') as Record<string, unknown>;
    const password = (ts: unknown) =>
      Buffer.from(`${creds.shortcode}${creds.passkey}${String(ts)}`).toString('base64');
    if (r.path === '/mpesa/stkpush/v1/processrequest') {
      if (body.Password !== password(body.Timestamp) || body.BusinessShortCode !== creds.shortcode) {
        return ERR(400, '400.002.02', 'Bad Request - Invalid Password');
      }
      if (String(body.AccountReference ?? '').length > 12 || !Number.isInteger(body.Amount)) {
        return ERR(400, '400.002.02', 'Bad Request - Invalid Amount or AccountReference');
      }
      if (nextFailure) {
        const f = nextFailure;
        nextFailure = null;
        return ERR(500, f.errorCode, f.errorMessage);
      }
      const push = {
        checkoutRequestId: `ws_CO_${Date.now()}${randomBytes(4).toString('hex')}`,
        merchantRequestId: `${randomBytes(3).toString('hex')}-${issued}`,
        request: body,
        outcome: nextOutcome,
        receipt: receiptId(),
      };
      pushes.push(push);
      await hooks.beforePushAnswer?.(push);
      return {
        status: 200,
        body: {
          MerchantRequestID: push.merchantRequestId,
          CheckoutRequestID: push.checkoutRequestId,
          ResponseCode: '0',
          ResponseDescription: 'Success. Request accepted for processing',
          CustomerMessage: 'Success. Request accepted for processing',
        },
      };
    }
    if (r.path === '/mpesa/stkpushquery/v1/query') {
      if (body.Password !== password(body.Timestamp))
        return ERR(400, '400.002.02', 'Bad Request - Invalid Password');
      const push = pushes.find((p) => p.checkoutRequestId === body.CheckoutRequestID);
      if (!push || push.forgotten) return ERR(400, '400.002.02', 'Bad Request - Invalid CheckoutRequestID');
      if (push.outcome === 'pending') return ERR(500, '500.001.1001', 'The transaction is being processed');
      return {
        status: 200,
        body: {
          ResponseCode: '0',
          ResponseDescription: 'The service request has been accepted successsfully',
          MerchantRequestID: push.merchantRequestId,
          CheckoutRequestID: push.checkoutRequestId,
          ResultCode: String(push.outcome),
          ResultDesc:
            push.outcome === 0 ? 'The service request is processed successfully.' : 'Request failed',
        },
      };
    }
    if (r.path === '/mpesa/c2b/v1/registerurl') {
      if (body.ResponseType !== 'Completed' && body.ResponseType !== 'Cancelled') {
        return ERR(400, '400.002.02', 'Bad Request - Invalid ResponseType');
      }
      return {
        status: 200,
        body: { OriginatorCoversationID: '1', ResponseCode: '0', ResponseDescription: 'success' },
      };
    }
    if (r.path === '/mpesa/transactionstatus/v1/query') {
      if (!body.Initiator || !body.SecurityCredential) {
        return ERR(400, '400.002.02', 'Bad Request - Invalid Initiator');
      }
      if (body.CommandID !== 'TransactionStatusQuery') {
        return ERR(400, '400.002.02', 'Bad Request - Invalid CommandID');
      }
      if (!body.TransactionID && !body.OriginalConversationID) {
        return ERR(400, '400.002.02', 'Bad Request - Invalid TransactionID');
      }
      if (!String(body.ResultURL ?? '').startsWith('http')) {
        return ERR(400, '400.002.02', 'Bad Request - Invalid ResultURL');
      }
      const q: FakeStatusQuery = {
        conversationId: `AG_${Date.now()}_${randomBytes(8).toString('hex')}`,
        originatorConversationId: `${randomBytes(3).toString('hex')}-${statusQueries.length + 1}`,
        request: body,
      };
      statusQueries.push(q);
      return {
        status: 200,
        body: {
          ConversationID: q.conversationId,
          OriginatorConversationID: q.originatorConversationId,
          ResponseCode: '0',
          ResponseDescription: 'Accept the service request successfully.',
        },
      };
    }
    if (r.path === '/pulltransactions/v1/query') {
      if (!body.ShortCode || !body.StartDate || !body.EndDate) {
        return ERR(400, '400.002.02', 'Bad Request - Invalid StartDate or EndDate');
      }
      const from = String(body.StartDate);
      const to = String(body.EndDate);
      const offset = Number(body.OffSetValue ?? 0);
      const rows = c2b
        .filter((t) => eat(t.at) >= from && eat(t.at) <= to)
        .sort((a, b) => a.at.getTime() - b.at.getTime())
        .slice(offset, offset + settings.pullPageSize)
        .map((t) => ({
          transactionId: t.transId,
          trxDate: eat(t.at),
          msisdn: 2547123456,
          sender: 'UNKNOWN',
          transactiontype: 'c2b-pay-bill-debit',
          billreference: t.billRef,
          amount: String(t.amount),
          organizationname: 'Kasi Test ISP',
        }));
      return {
        status: 200,
        body: {
          ResponseRefID: randomBytes(8).toString('hex'),
          ResponseCode: '1000',
          ResponseMessage: 'Success',
          Response: [rows],
        },
      };
    }
    return ERR(404, '404.001.01', 'Resource not found');
  });

  return {
    ...server,
    get beforePushAnswer() {
      return hooks.beforePushAnswer;
    },
    set beforePushAnswer(fn) {
      hooks.beforePushAnswer = fn;
    },
    pushes,
    c2b,
    statusQueries,
    get pullPageSize() {
      return settings.pullPageSize;
    },
    set pullPageSize(n) {
      settings.pullPageSize = n;
    },
    tokensIssued: () => issued,
    payC2b({ amount, billRef, at }) {
      const transaction = { transId: receiptId(), amount, billRef, at: at ?? new Date() };
      c2b.push(transaction);
      const confirmation = JSON.stringify({
        TransactionType: 'Pay Bill',
        TransID: transaction.transId,
        TransTime: eat(transaction.at).replace(/[- :]/g, ''),
        TransAmount: String(amount),
        BusinessShortCode: creds.shortcode,
        BillRefNumber: billRef,
        InvoiceNumber: '',
        OrgAccountBalance: '',
        ThirdPartyTransID: '',
        MSISDN: '2547 ***** 678',
        FirstName: 'JOHN',
      });
      return { transaction, confirmation };
    },
    statusResultBody(q) {
      // As Safaricom documents it: a transaction is named by its M-Pesa receipt (TransactionID)
      // or by the OriginatorConversationID an asynchronous API request was given. An STK push's
      // CheckoutRequestID is neither (it is the STK query's key), so it is never found by it.
      const receipt = String(q.request.TransactionID ?? '');
      const push = receipt ? pushes.find((p) => p.outcome === 0 && p.receipt === receipt) : undefined;
      const paid = receipt ? c2b.find((t) => t.transId === receipt) : undefined;
      const found = push
        ? {
            receipt: push.receipt,
            amount: Number(push.request.Amount),
            party: String(push.request.PhoneNumber),
          }
        : paid
          ? { receipt: paid.transId, amount: paid.amount, party: '2547*****678' }
          : null;
      const reference = { ReferenceItem: { Key: 'Occasion', Value: String(q.request.Occasion ?? '') } };
      if (!found) {
        return JSON.stringify({
          Result: {
            ResultType: 0,
            ResultCode: 2001,
            ResultDesc: 'The initiator information is invalid or the transaction was not found.',
            OriginatorConversationID: q.originatorConversationId,
            ConversationID: q.conversationId,
            TransactionID: '',
            ReferenceData: reference,
          },
        });
      }
      return JSON.stringify({
        Result: {
          ResultType: 0,
          ResultCode: 0,
          ResultDesc: 'The service request is processed successfully.',
          OriginatorConversationID: q.originatorConversationId,
          ConversationID: q.conversationId,
          TransactionID: found.receipt,
          ResultParameters: {
            ResultParameter: [
              { Key: 'DebitPartyName', Value: found.party },
              { Key: 'CreditPartyName', Value: `${creds.shortcode} - Kasi Test ISP` },
              { Key: 'OriginatorConversationID', Value: q.originatorConversationId },
              { Key: 'InitiatedTime', Value: 20261207101500 },
              { Key: 'DebitAccountType', Value: 'MMF Account For Customer' },
              { Key: 'DebitPartyCharges', Value: '' },
              { Key: 'TransactionReason', Value: '' },
              { Key: 'ReasonType', Value: 'Pay Bill Online' },
              { Key: 'TransactionStatus', Value: 'Completed' },
              { Key: 'FinalisedTime', Value: 20261207101500 },
              { Key: 'Amount', Value: found.amount },
              { Key: 'ConversationID', Value: q.conversationId },
              { Key: 'ReceiptNo', Value: found.receipt },
            ],
          },
          ReferenceData: reference,
        },
      });
    },
    expireToken: () => {
      token = `expired-${token}`;
    },
    setNextOutcome: (o) => {
      nextOutcome = o;
    },
    failNextPush: (errorCode, errorMessage) => {
      nextFailure = { errorCode, errorMessage };
    },
    settle: (id, outcome) => {
      const p = pushes.find((x) => x.checkoutRequestId === id);
      if (p) p.outcome = outcome;
    },
    callbackBody(checkoutRequestId, resultCode, extra = {}) {
      const push = pushes.find((p) => p.checkoutRequestId === checkoutRequestId);
      const amount = extra.amount ?? (push ? Number(push.request.Amount) : 1);
      const stkCallback: Record<string, unknown> = {
        MerchantRequestID: push?.merchantRequestId ?? 'unknown',
        CheckoutRequestID: checkoutRequestId,
        ResultCode: resultCode,
        ResultDesc:
          resultCode === 0 ? 'The service request is processed successfully.' : 'Request cancelled by user',
      };
      if (resultCode === 0) {
        stkCallback.CallbackMetadata = {
          Item: [
            { Name: 'Amount', Value: amount },
            { Name: 'MpesaReceiptNumber', Value: extra.receipt ?? push?.receipt ?? receiptId() },
            { Name: 'TransactionDate', Value: 20261207101500 },
            { Name: 'PhoneNumber', Value: Number(push?.request.PhoneNumber ?? 254712345678) },
          ],
        };
      }
      return JSON.stringify({ Body: { stkCallback } });
    },
  };
}
