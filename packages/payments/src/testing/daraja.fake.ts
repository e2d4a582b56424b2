// A local Daraja: OAuth tokens (which it can expire on demand), STK push that checks the
// Password and field limits, STK query answering from a scripted outcome per push, C2B URL
// registration and Transaction Status. Callback bodies are built in Daraja's exact shape.
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
}

export interface DarajaFake extends FakeServer {
  pushes: FakePush[];
  tokensIssued: () => number;
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
      if (!push) return ERR(400, '400.002.02', 'Bad Request - Invalid CheckoutRequestID');
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
      return {
        status: 200,
        body: {
          ConversationID: `AG_${Date.now()}`,
          OriginatorConversationID: '1',
          ResponseCode: '0',
          ResponseDescription: 'Accept the service request successfully.',
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
    tokensIssued: () => issued,
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
            {
              Name: 'MpesaReceiptNumber',
              Value: extra.receipt ?? `R${randomBytes(5).toString('hex').toUpperCase()}`,
            },
            { Name: 'TransactionDate', Value: 20261207101500 },
            { Name: 'PhoneNumber', Value: Number(push?.request.PhoneNumber ?? 254712345678) },
          ],
        };
      }
      return JSON.stringify({ Body: { stkCallback } });
    },
  };
}
