// What the SMS code needs beyond the AppContext: the process-wide Twilio account
// (KASI_TWILIO_*, the default for single-tenant installs), the providers' base URLs (their
// own in production, local fakes in tests) and the public URL callbacks are built on.
import type { AppContext } from '../app-context.ts';

export interface DefaultTwilio {
  accountSid: string;
  authToken: string;
  from: string;
  apiUrl: string;
}

export interface SmsEnvironment {
  publicUrl: string;
  /** KASI_TWILIO_*: used by tenants whose provider is `default` (or who set nothing). */
  defaultTwilio: DefaultTwilio | null;
  /** KASI_SMS_COUNTRY_CODE: the calling code when a tenant set none. */
  countryCode: string | null;
  /** KASI_HOTSPOT_URL: where receipts send buyers when the tenant set no hotspot address. */
  hotspotUrl: string;
  endpoints: {
    /** Twilio's API for tenants' own accounts. */
    twilio: string;
    africastalking: { live: string; sandbox: string };
  };
}

export const DEFAULT_SMS_ENDPOINTS: SmsEnvironment['endpoints'] = {
  twilio: 'https://api.twilio.com',
  africastalking: {
    live: 'https://api.africastalking.com',
    sandbox: 'https://api.sandbox.africastalking.com',
  },
};

/** From configuration: KASI_TWILIO_API_URL / KASI_AFRICASTALKING_API_URL replace the providers' URLs. */
export function smsEnvironment(c: {
  publicUrl: string;
  sms: {
    twilio: DefaultTwilio | null;
    countryCode: string | null;
    hotspotUrl: string;
    twilioApiUrl?: string | null;
    africasTalkingApiUrl?: string | null;
  };
}): SmsEnvironment {
  const at = c.sms.africasTalkingApiUrl;
  return {
    publicUrl: c.publicUrl.replace(/\/+$/, ''),
    defaultTwilio: c.sms.twilio,
    countryCode: c.sms.countryCode,
    hotspotUrl: c.sms.hotspotUrl,
    endpoints: {
      twilio: c.sms.twilioApiUrl ?? c.sms.twilio?.apiUrl ?? DEFAULT_SMS_ENDPOINTS.twilio,
      africastalking: at ? { live: at, sandbox: at } : DEFAULT_SMS_ENDPOINTS.africastalking,
    },
  };
}

/** The SMS environment of an app (tests and the CLI without one: no default account). */
export const smsEnvOf = (app: AppContext): SmsEnvironment =>
  app.sms ?? {
    publicUrl: 'http://localhost:3000',
    defaultTwilio: null,
    countryCode: null,
    hotspotUrl: 'http://hotspot.lan',
    endpoints: DEFAULT_SMS_ENDPOINTS,
  };
