// Sending one SMS, and what Twilio's refusals mean for the job that asked: retry later
// (rate limit, Twilio down, unreachable) or give up (bad or opted-out number). Failure
// messages carry Twilio's error number and HTTP status only, never the number or body.
import { permanentFailure, transientFailure, type JobFailure } from '../jobs/job-failure.ts';
import { createTwilioClient, type TwilioSettings } from './twilio-client.ts';

export interface SmsMessage {
  to: string;
  body: string;
  /** Where Twilio reports delivery, or null for no reports. */
  statusCallback: string | null;
}

export interface SentSms {
  sid: string;
  status: string;
  /** What Twilio says it cost ("-0.00750"), usually only known later; null until then. */
  price?: string | null;
  priceUnit?: string | null;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SentSms>;
}

/** Twilio error numbers that no retry can fix even where the HTTP status would allow one. */
const NEVER_RETRY = new Set([21211, 21408, 21610, 21612, 21614]);

export function twilioFailure(err: unknown): JobFailure {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; name?: unknown };
  if (typeof e.status !== 'number') {
    // No HTTP answer (refused, timed out, DNS): the error's code names the cause safely.
    const cause = typeof e.code === 'string' ? e.code : String(e.name ?? 'error');
    return transientFailure(`Twilio unreachable (${cause})`);
  }
  const code = typeof e.code === 'number' ? e.code : null;
  const label = `Twilio ${code === null ? 'refused' : `error ${code}`} (HTTP ${e.status})`;
  if (code !== null && NEVER_RETRY.has(code)) return permanentFailure(label);
  // 401/403: credentials can be fixed while the job waits; 429 and 5xx pass.
  if ([401, 403, 408, 429].includes(e.status) || e.status >= 500) return transientFailure(label);
  return permanentFailure(label);
}

export function twilioSender(s: TwilioSettings & { from: string }): SmsSender {
  const client = createTwilioClient(s);
  const sender = /^MG[0-9a-f]{32}$/i.test(s.from) ? { messagingServiceSid: s.from } : { from: s.from };
  return {
    async send(m) {
      try {
        const sent = await client.messages.create({
          to: m.to,
          body: m.body,
          ...sender,
          ...(m.statusCallback && { statusCallback: m.statusCallback }),
        });
        return {
          sid: sent.sid,
          status: sent.status,
          price: sent.price ?? null,
          priceUnit: sent.priceUnit ?? null,
        };
      } catch (err) {
        throw twilioFailure(err);
      }
    },
  };
}
