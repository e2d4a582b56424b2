// M-Pesa Daraja: STK push (Paybill `CustomerPayBillOnline`, Till `CustomerBuyGoodsOnline`),
// STK query, C2B URL registration and callbacks, Transaction Status for lost callbacks.
// KES only, in whole shillings: a fractional amount is rounded up and the attempt records what
// was actually charged (the rest becomes credit, never a silent loss).
import { invalid, type Money } from '@kasi/domain';
import type {
  Acknowledgement,
  GatewayDeps,
  IncomingWebhook,
  PaymentEvent,
  PaymentGateway,
  PaymentStatus,
  ProviderAmount,
  StartPayment,
  StartedPayment,
  WebhookVerdict,
} from './gateway.ts';
import { c2bEvent, c2bSchema, parseJson, stkCallbackSchema, stkEvent } from './mpesa.callback.ts';
import { DarajaApiError, DarajaClient, darajaFailure } from './mpesa.client.ts';
import type { MpesaConfig } from './mpesa.config.ts';
import { MPESA_IN_PROGRESS, MPESA_PAID, mpesaReason } from './mpesa.results.ts';
import { darajaTimestamp, stkPassword } from './mpesa.time.ts';
import { eatDateTime, pulledTransactions, type MpesaPulledTransaction } from './mpesa.transaction-status.ts';

export const MPESA_SANDBOX_URL = 'https://sandbox.safaricom.co.ke';
export const MPESA_PRODUCTION_URL = 'https://api.safaricom.co.ke';

interface StkPushResponse {
  MerchantRequestID: string;
  CheckoutRequestID: string;
  ResponseCode: string;
  ResponseDescription?: string;
  CustomerMessage?: string;
}

interface StkQueryResponse {
  ResponseCode: string;
  ResultCode?: string | number;
  ResultDesc?: string;
}

/** Kenyan mobile numbers as Daraja wants them: 2547XXXXXXXX / 2541XXXXXXXX. */
export function normaliseMsisdn(phone: string): string {
  const digits = phone.replace(/[\s()+.-]/g, '');
  const m = /^(?:254|0)?([17]\d{8})$/.exec(digits);
  if (!m)
    throw invalid('PAYMENT.BAD_PHONE', 'Enter a Safaricom number such as 0712 345 678', { field: 'phone' });
  return `254${m[1]}`;
}

export class MpesaGateway implements PaymentGateway {
  readonly name = 'mpesa' as const;
  private readonly client: DarajaClient;
  private readonly now: () => Date;
  private readonly config: MpesaConfig;

  constructor(config: MpesaConfig, deps: GatewayDeps) {
    this.config = config;
    this.now = deps.now ?? (() => new Date());
    this.client = new DarajaClient({
      baseUrl: deps.baseUrl,
      fetch: deps.fetch ?? fetch,
      now: this.now,
      consumerKey: config.consumerKey,
      consumerSecret: config.consumerSecret,
    });
  }

  toProviderAmount(amount: Money): ProviderAmount {
    if (amount.currency !== 'KES') {
      throw invalid('PAYMENT.WRONG_CURRENCY', `M-Pesa takes KES, not ${amount.currency}`);
    }
    const shillings = (amount.amountMinor + 99n) / 100n;
    if (shillings < 1n) throw invalid('PAYMENT.AMOUNT_NOT_POSITIVE', 'M-Pesa takes at least 1 shilling');
    return { value: Number(shillings), chargedMinor: shillings * 100n };
  }

  private credentials() {
    const timestamp = darajaTimestamp(this.now());
    return {
      BusinessShortCode: this.config.shortcode,
      Password: stkPassword(this.config.shortcode, this.config.passkey, timestamp),
      Timestamp: timestamp,
    };
  }

  async startPayment(req: StartPayment): Promise<StartedPayment> {
    if (!req.phone) throw invalid('PAYMENT.BAD_PHONE', 'M-Pesa needs a phone number', { field: 'phone' });
    if (!req.callbackUrl) throw new Error('STK push needs a callback URL');
    const phone = normaliseMsisdn(req.phone);
    const till = this.config.kind === 'till';
    try {
      const res = await this.client.post<StkPushResponse>('/mpesa/stkpush/v1/processrequest', {
        ...this.credentials(),
        TransactionType: till ? 'CustomerBuyGoodsOnline' : 'CustomerPayBillOnline',
        Amount: this.toProviderAmount(req.amount).value,
        PartyA: phone,
        PartyB: till ? this.config.tillNumber : this.config.shortcode,
        PhoneNumber: phone,
        CallBackURL: req.callbackUrl,
        AccountReference: req.accountReference.slice(0, 12),
        TransactionDesc: req.description.slice(0, 13),
      });
      if (String(res.ResponseCode) !== '0') {
        throw invalid('PAYMENT.GATEWAY_REFUSED', `M-Pesa: ${res.ResponseDescription ?? 'push refused'}`);
      }
      return {
        kind: 'push_sent',
        providerRef: res.CheckoutRequestID,
        customerMessage: res.CustomerMessage ?? 'Check your phone and enter your M-Pesa PIN.',
      };
    } catch (e) {
      throw darajaFailure(e);
    }
  }

  /** STK Push Query: "still being processed" is pending, never a failure. */
  async fetchStatus(checkoutRequestId: string): Promise<PaymentStatus> {
    try {
      const res = await this.client.post<StkQueryResponse>('/mpesa/stkpushquery/v1/query', {
        ...this.credentials(),
        CheckoutRequestID: checkoutRequestId,
      });
      const code = res.ResultCode === undefined ? null : String(res.ResultCode);
      if (code === null)
        return { state: 'pending', resultCode: null, reason: null, receipt: null, amountMinor: null };
      if (code === MPESA_PAID)
        return { state: 'succeeded', resultCode: code, reason: null, receipt: null, amountMinor: null };
      return {
        state: 'failed',
        resultCode: code,
        reason: mpesaReason(code, res.ResultDesc),
        receipt: null,
        amountMinor: null,
      };
    } catch (e) {
      if (e instanceof DarajaApiError && e.errorCode === MPESA_IN_PROGRESS) {
        return { state: 'pending', resultCode: e.errorCode, reason: null, receipt: null, amountMinor: null };
      }
      throw darajaFailure(e);
    }
  }

  verifyWebhook(hook: IncomingWebhook): WebhookVerdict {
    const json = parseJson(hook.rawBody);
    if (json === undefined) return { ok: false, status: 400, reason: 'malformed JSON' };
    const stk = stkCallbackSchema.safeParse(json);
    if (stk.success) return { ok: true, events: [stkEvent(stk.data)] };
    const c2b = c2bSchema.safeParse(json);
    if (c2b.success) return { ok: true, events: [c2bEvent(c2b.data)] };
    return { ok: false, status: 400, reason: 'not an M-Pesa callback' };
  }

  normalise(rawBody: Buffer): PaymentEvent[] {
    const v = this.verifyWebhook({ rawBody, headers: {} });
    return v.ok ? v.events : [];
  }

  acknowledge(verdict: WebhookVerdict): Acknowledgement {
    const body = verdict.ok
      ? { ResultCode: 0, ResultDesc: 'Accepted' }
      : { ResultCode: 1, ResultDesc: 'Rejected' };
    return {
      status: verdict.ok ? 200 : verdict.status,
      contentType: 'application/json',
      body: JSON.stringify(body),
    };
  }

  /** The C2B validation answer (must go back within about 8 s, else M-Pesa applies the default). */
  c2bValidationAnswer(accept: boolean, rejectCode = 'C2B00012'): Acknowledgement {
    const body = accept
      ? { ResultCode: '0', ResultDesc: 'Accepted' }
      : { ResultCode: rejectCode, ResultDesc: 'Rejected' };
    return { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
  }

  async testConnection(): Promise<void> {
    await this.client.accessToken();
  }

  /** C2B: registers where M-Pesa sends validation and confirmation for Paybill payments. */
  async registerC2bUrls(urls: { confirmationUrl: string; validationUrl: string }): Promise<void> {
    try {
      await this.client.post('/mpesa/c2b/v1/registerurl', {
        ShortCode: this.config.kind === 'till' ? this.config.tillNumber : this.config.shortcode,
        ResponseType: 'Completed',
        ConfirmationURL: urls.confirmationUrl,
        ValidationURL: urls.validationUrl,
      });
    } catch (e) {
      throw darajaFailure(e);
    }
  }

  /** Whether Transaction Status can be asked (an initiator and its security credential are set). */
  get canQueryStatus(): boolean {
    return Boolean(this.config.initiatorName && this.config.securityCredential);
  }

  /** Whether Pull Transactions may be asked (the operator says Safaricom enabled it). */
  get pullEnabled(): boolean {
    return this.config.c2bPull;
  }

  /**
   * Transaction Status (asynchronous: the answer arrives at `resultUrl`, a timeout at
   * `timeoutUrl`). Asks by M-Pesa receipt (`transactionId`) or, without one, by the
   * OriginatorConversationID an asynchronous API request (B2C, reversal) was given
   * (`originalConversationId`). Safaricom documents no way to ask it by an STK push's
   * CheckoutRequestID: that is the STK query's key (ADR 0029).
   * `occasion` is Kasi's own query id; Daraja echoes it in the answer's ReferenceData.
   */
  async queryTransaction(req: {
    transactionId?: string | null;
    originalConversationId?: string | null;
    occasion: string;
    resultUrl: string;
    timeoutUrl: string;
  }) {
    if (!this.config.initiatorName || !this.config.securityCredential) {
      throw invalid(
        'PAYMENT.MPESA_NO_INITIATOR',
        'Transaction Status needs an initiator name and security credential',
      );
    }
    if (!req.transactionId && !req.originalConversationId) {
      throw invalid('PAYMENT.MPESA_NO_TRANSACTION', 'Name the M-Pesa receipt to ask about', {
        field: 'transactionId',
      });
    }
    try {
      const res = await this.client.post<{
        ConversationID: string;
        OriginatorConversationID?: string;
        ResponseCode: string;
        ResponseDescription?: string;
      }>('/mpesa/transactionstatus/v1/query', {
        Initiator: this.config.initiatorName,
        SecurityCredential: this.config.securityCredential,
        CommandID: 'TransactionStatusQuery',
        TransactionID: req.transactionId ?? '',
        ...(req.originalConversationId && { OriginalConversationID: req.originalConversationId }),
        PartyA: this.config.kind === 'till' ? this.config.tillNumber : this.config.shortcode,
        IdentifierType: this.config.kind === 'till' ? '2' : '4',
        ResultURL: req.resultUrl,
        QueueTimeOutURL: req.timeoutUrl,
        Remarks: 'Kasi status check',
        Occasion: req.occasion,
      });
      if (String(res.ResponseCode) !== '0') {
        throw invalid(
          'PAYMENT.GATEWAY_REFUSED',
          `M-Pesa: ${res.ResponseDescription ?? 'status query refused'}`,
        );
      }
      return { conversationId: res.ConversationID };
    } catch (e) {
      throw darajaFailure(e);
    }
  }

  /** Pull Transactions: C2B payments to the shortcode between two instants (at most the last 48 h). */
  async pullTransactions(from: Date, to: Date): Promise<MpesaPulledTransaction[]> {
    const out: MpesaPulledTransaction[] = [];
    const seen = new Set<string>();
    try {
      for (let offset = 0; offset < 100_000;) {
        const body = await this.client.post<unknown>('/pulltransactions/v1/query', {
          ShortCode: this.config.kind === 'till' ? this.config.tillNumber : this.config.shortcode,
          StartDate: eatDateTime(from),
          EndDate: eatDateTime(to),
          OffSetValue: String(offset),
        });
        const batch = pulledTransactions(body);
        const fresh = batch.filter((t) => !seen.has(t.transactionId));
        for (const t of fresh) {
          seen.add(t.transactionId);
          out.push(t);
        }
        if (fresh.length === 0) break;
        offset += batch.length;
      }
      return out;
    } catch (e) {
      throw darajaFailure(e);
    }
  }
}
