// Daraja's HTTP edge: an OAuth token cached for its hour (refreshed early, and again when
// Daraja says 404.001.03 "expired"), and JSON calls that turn Daraja's error shape
// `{requestId, errorCode, errorMessage}` into typed errors. Never logs or returns a secret.
import { gatewayBusy, gatewayDown, gatewayRefused } from './gateway-error.ts';
import type { FetchLike } from './gateway.ts';
import {
  MPESA_IN_PROGRESS,
  MPESA_SPIKE_ARREST,
  MPESA_TOKEN_EXPIRED,
  MPESA_TOKEN_INVALID,
} from './mpesa.results.ts';

const EARLY_REFRESH_MS = 60_000;

export class DarajaApiError extends Error {
  readonly errorCode: string;
  readonly httpStatus: number;

  constructor(errorCode: string, httpStatus: number, message: string) {
    super(message);
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
    this.name = 'DarajaApiError';
  }
}

export interface DarajaClientOptions {
  baseUrl: string;
  fetch: FetchLike;
  now: () => Date;
  consumerKey: string;
  consumerSecret: string;
}

export class DarajaClient {
  private token: { value: string; expiresAt: number } | null = null;

  private readonly o: DarajaClientOptions;

  constructor(o: DarajaClientOptions) {
    this.o = o;
  }

  private url(path: string) {
    return `${this.o.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  async accessToken(): Promise<string> {
    const now = this.o.now().getTime();
    if (this.token && this.token.expiresAt - EARLY_REFRESH_MS > now) return this.token.value;
    const basic = Buffer.from(`${this.o.consumerKey}:${this.o.consumerSecret}`).toString('base64');
    const res = await this.send(this.url('/oauth/v1/generate?grant_type=client_credentials'), {
      headers: { authorization: `Basic ${basic}` },
    });
    const body = (await res.json().catch(() => null)) as {
      access_token?: string;
      expires_in?: string;
    } | null;
    if (!res.ok || !body?.access_token) {
      throw gatewayRefused('M-Pesa', 'the consumer key and secret were refused', { status: res.status });
    }
    const seconds = Number(body.expires_in ?? 3599) || 3599;
    this.token = { value: body.access_token, expiresAt: now + seconds * 1000 };
    return body.access_token;
  }

  /** POSTs JSON with the bearer token; one fresh token and one retry when Daraja says it expired. */
  async post<T>(path: string, payload: unknown): Promise<T> {
    try {
      return await this.postOnce<T>(path, payload);
    } catch (e) {
      if (
        e instanceof DarajaApiError &&
        (e.errorCode === MPESA_TOKEN_EXPIRED || e.errorCode === MPESA_TOKEN_INVALID)
      ) {
        this.token = null;
        return this.postOnce<T>(path, payload);
      }
      throw e;
    }
  }

  private async postOnce<T>(path: string, payload: unknown): Promise<T> {
    const token = await this.accessToken();
    const res = await this.send(this.url(path), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const body = (await res.json().catch(() => null)) as
      (T & { errorCode?: string; errorMessage?: string }) | null;
    if (body && typeof body.errorCode === 'string') {
      throw new DarajaApiError(body.errorCode, res.status, body.errorMessage ?? 'Daraja error');
    }
    if (!res.ok || !body) throw gatewayDown('M-Pesa', `answered HTTP ${res.status}`);
    return body;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.o.fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    } catch {
      throw gatewayDown('M-Pesa', 'could not be reached');
    }
  }
}

/** Daraja API errors as domain errors for callers that do not handle them themselves. */
export function darajaFailure(e: unknown): unknown {
  if (!(e instanceof DarajaApiError)) return e;
  if (e.errorCode === MPESA_IN_PROGRESS) {
    return gatewayBusy(
      'M-Pesa',
      'another payment is in progress on this phone; wait a minute and try again',
      {
        errorCode: e.errorCode,
      },
    );
  }
  if (e.errorCode === MPESA_SPIKE_ARREST) {
    return gatewayBusy('M-Pesa', 'too many requests; try again shortly', { errorCode: e.errorCode });
  }
  return gatewayRefused('M-Pesa', e.message, { errorCode: e.errorCode });
}
