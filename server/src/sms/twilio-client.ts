// The official Twilio client, with its HTTP client pointed at a configurable base URL
// (https://api.twilio.com in production, a local fake in tests). Requests keep Twilio's
// own path, form encoding and basic auth; only scheme, host and port change.
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

class BaseUrlRequestClient extends twilio.RequestClient {
  readonly #base: URL;

  constructor(baseUrl: string, timeoutMs: number) {
    super({ timeout: timeoutMs, keepAlive: true });
    this.#base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    uri.protocol = this.#base.protocol;
    uri.host = this.#base.host;
    return super.request<TData>({ ...opts, uri: uri.toString() });
  }
}

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  apiUrl: string;
}

export function createTwilioClient(s: TwilioSettings, timeoutMs = 15_000): twilio.Twilio {
  // Retries are the job runner's business (with backoff across attempts), not the client's.
  return twilio(s.accountSid, s.authToken, {
    httpClient: new BaseUrlRequestClient(s.apiUrl, timeoutMs),
    autoRetry: false,
  });
}
