// Twilio Verify as the holder of one-time codes (optional, per server: KASI_TWILIO_VERIFY_SERVICE_SID
// with the KASI_TWILIO_* account; `otpVerifyFrom` builds it from the configuration).
// Twilio makes, sends and checks the code; Kasi still counts requests and attempts itself, so
// the limits and the no-enumeration rule do not depend on the provider. Real API shapes:
// POST /v2/Services/{VA…}/Verifications (To, Channel=sms) and /VerificationCheck (To, Code),
// HTTP Basic with the account SID and auth token; a check answers {status: 'approved'}.
import { unavailable } from '@kasi/domain';

export interface TwilioVerifyConfig {
  accountSid: string;
  authToken: string;
  serviceSid: string;
  /** https://verify.twilio.com, or a fake in tests. */
  apiUrl: string;
}

export interface OtpVerifyProvider {
  start(to: string, locale?: string): Promise<void>;
  /** True only for an approved code; a wrong, expired or unknown one is false. */
  check(to: string, code: string): Promise<boolean>;
}

export function twilioVerify(c: TwilioVerifyConfig, fetchFn: typeof fetch = fetch): OtpVerifyProvider {
  const base = `${c.apiUrl.replace(/\/+$/, '')}/v2/Services/${encodeURIComponent(c.serviceSid)}`;
  const auth = `Basic ${Buffer.from(`${c.accountSid}:${c.authToken}`).toString('base64')}`;
  const post = (path: string, form: Record<string, string>) =>
    fetchFn(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(10_000),
    });
  return {
    async start(to, locale) {
      const res = await post('/Verifications', { To: to, Channel: 'sms', ...(locale && { Locale: locale }) });
      if (res.status !== 201 && res.status !== 200) {
        throw unavailable('OTP.PROVIDER', `Twilio Verify refused the code request (${res.status})`);
      }
    },
    async check(to, code) {
      const res = await post('/VerificationCheck', { To: to, Code: code });
      // 404: no pending verification for the number (expired, approved already, or never sent).
      if (res.status === 404) return false;
      if (!res.ok) throw unavailable('OTP.PROVIDER', `Twilio Verify did not check the code (${res.status})`);
      const body = (await res.json()) as { status?: string };
      return body.status === 'approved';
    },
  };
}

/** The adapter the configuration asks for (`config.sms.verify`), or null: Kasi's own codes. */
export function otpVerifyFrom(
  sms: { verify: TwilioVerifyConfig | null },
  fetchFn: typeof fetch = fetch,
): OtpVerifyProvider | null {
  return sms.verify ? twilioVerify(sms.verify, fetchFn) : null;
}
