// One interface for every SMS provider: send a message, prove the credentials work. Twilio
// goes through its official package (twilio-client.ts); Africa's Talking through its REST API
// with fetch (ADR 0022). Failures are classified for the send job: retry later, or give up
// (and, where the provider says the number opted out or blacklisted us, stop texting it).
// Failure messages carry the provider's status names and codes only, never the number or body.
import { permanentFailure, transientFailure, type JobFailure } from '../jobs/job-failure.ts';
import { twilioFailure, twilioSender } from './sms-sender.ts';
import { createTwilioClient } from './twilio-client.ts';

export interface OutgoingSms {
  to: string;
  body: string;
  /** Where the provider reports delivery (Twilio per message; Africa's Talking uses its dashboard URL). */
  statusCallback: string | null;
}

export interface ProviderReceipt {
  providerMessageId: string;
  /** The provider's own status word at acceptance (queued, Success…). */
  status: string;
  /** Millionths of `currency`, when the provider says what it cost. */
  costMicros: bigint | null;
  currency: string | null;
}

export interface SmsProvider {
  readonly kind: 'twilio' | 'africastalking';
  send(m: OutgoingSms): Promise<ProviderReceipt>;
  /** Proves the credentials (an account look-up, nothing sent); throws a JobFailure otherwise. */
  check(): Promise<void>;
}

/** A failure that also means "this number must get nothing more" (opted out, blacklisted). */
export class OptedOutFailure extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.reason = reason;
    this.name = 'OptedOutFailure';
  }
}

/** "0.00750", "-0.0075", "KES 0.8000" → millionths and currency. Null when unparseable. */
export function parseCost(amount: string | null | undefined, currency: string | null = null) {
  if (!amount) return null;
  const m = /^(?:([A-Z]{3})\s+)?-?([0-9]+)(?:\.([0-9]+))?$/.exec(amount.trim());
  if (!m) return null;
  const frac = (m[3] ?? '').slice(0, 6).padEnd(6, '0');
  return { costMicros: BigInt(m[2] ?? '0') * 1_000_000n + BigInt(frac), currency: m[1] ?? currency };
}

export interface TwilioProviderSettings {
  accountSid: string;
  authToken: string;
  /** +E.164, alphanumeric sender id or MG… Messaging Service SID. */
  from: string;
  apiUrl: string;
}

export function twilioProvider(s: TwilioProviderSettings): SmsProvider {
  const sender = twilioSender(s);
  return {
    kind: 'twilio',
    async send(m) {
      try {
        const sent = await sender.send(m);
        const cost = parseCost(sent.price ?? null, sent.priceUnit ?? null);
        return {
          providerMessageId: sent.sid,
          status: sent.status,
          costMicros: cost?.costMicros ?? null,
          currency: cost?.currency ?? null,
        };
      } catch (e) {
        // 21610: the recipient replied STOP to this sender at Twilio.
        if ((e as JobFailure).message?.includes('error 21610'))
          throw new OptedOutFailure('Twilio error 21610 (opted out)');
        throw e;
      }
    },
    async check() {
      try {
        await createTwilioClient(s).api.v2010.accounts(s.accountSid).fetch();
      } catch (err) {
        throw twilioFailure(err);
      }
    },
  };
}

export interface AfricasTalkingSettings {
  username: string;
  apiKey: string;
  /** Short code or registered alphanumeric sender id; null: the account's default. */
  from: string | null;
  baseUrl: string;
  fetch?: typeof fetch;
}

/** Per-recipient status codes (Africa's Talking SMS API): sent or queued. */
const AT_ACCEPTED = new Set([100, 101, 102]);
/** Refusals that may pass (risk hold, no credit yet, their side failing). */
const AT_TRANSIENT = new Set([401, 405, 500, 501]);
/** The recipient blocked promotional messages or this sender. */
const AT_OPTED_OUT = new Set([406, 409]);

interface AtRecipient {
  statusCode?: number;
  status?: string;
  number?: string;
  cost?: string;
  messageId?: string;
}

export function africasTalkingProvider(s: AfricasTalkingSettings): SmsProvider {
  const doFetch = s.fetch ?? fetch;
  const base = s.baseUrl.replace(/\/+$/, '');
  const headers = {
    apiKey: s.apiKey,
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  async function call(path: string, init: RequestInit): Promise<Response> {
    try {
      return await doFetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: unknown } }).cause?.code;
      throw transientFailure(`Africa's Talking unreachable (${typeof cause === 'string' ? cause : 'error'})`);
    }
  }
  function httpFailure(status: number): JobFailure {
    const label = `Africa's Talking refused (HTTP ${status})`;
    return [401, 403, 408, 429].includes(status) || status >= 500
      ? transientFailure(label)
      : permanentFailure(label);
  }
  return {
    kind: 'africastalking',
    async send(m) {
      const form = new URLSearchParams({ username: s.username, to: m.to, message: m.body });
      if (s.from) form.set('from', s.from);
      const res = await call('/version1/messaging', { method: 'POST', headers, body: form });
      if (!res.ok) throw httpFailure(res.status);
      const json = (await res.json().catch(() => null)) as {
        SMSMessageData?: { Message?: string; Recipients?: AtRecipient[] };
      } | null;
      const r = json?.SMSMessageData?.Recipients?.[0];
      if (!r || typeof r.statusCode !== 'number') {
        // No recipient: the whole request was refused (e.g. "InvalidSenderId"); their words are safe.
        throw permanentFailure(
          `Africa's Talking sent nothing (${(json?.SMSMessageData?.Message ?? 'no recipients').slice(0, 80)})`,
        );
      }
      const label = `Africa's Talking ${r.status ?? 'refused'} (${r.statusCode})`;
      if (AT_OPTED_OUT.has(r.statusCode)) throw new OptedOutFailure(label);
      if (AT_TRANSIENT.has(r.statusCode)) throw transientFailure(label);
      if (!AT_ACCEPTED.has(r.statusCode) || !r.messageId) throw permanentFailure(label);
      const cost = parseCost(r.cost);
      return {
        providerMessageId: r.messageId,
        // "Success" here means accepted for sending; delivery reports say "Success" when delivered.
        status: 'Sent',
        costMicros: cost?.costMicros ?? null,
        currency: cost?.currency ?? null,
      };
    },
    async check() {
      const res = await call(`/version1/user?username=${encodeURIComponent(s.username)}`, {
        method: 'GET',
        headers: { apiKey: s.apiKey, accept: 'application/json' },
      });
      if (!res.ok) throw httpFailure(res.status);
    },
  };
}
