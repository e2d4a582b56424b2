// PayPal's REST edge with plain fetch: an OAuth token (client credentials) cached per process
// until shortly before it expires and fetched again on a 401, and JSON calls that turn PayPal's error shape
// `{name, message, debug_id, details: [{issue}]}` into a typed error carrying the issue.
import { createHash } from 'node:crypto';
import { gatewayBusy, gatewayDown, gatewayRefused } from './gateway-error.ts';
import type { FetchLike } from './gateway.ts';

const EARLY_REFRESH_MS = 5 * 60_000;

export class PaypalApiError extends Error {
  readonly httpStatus: number;
  /** PayPal's `name` (UNPROCESSABLE_ENTITY, RESOURCE_NOT_FOUND…) and first `details[].issue`. */
  readonly errorName: string;
  readonly issue: string | null;
  readonly debugId: string | null;

  constructor(
    httpStatus: number,
    errorName: string,
    issue: string | null,
    message: string,
    debugId: string | null,
  ) {
    super(message);
    this.name = 'PaypalApiError';
    this.httpStatus = httpStatus;
    this.errorName = errorName;
    this.issue = issue;
    this.debugId = debugId;
  }
}

export interface PaypalClientOptions {
  baseUrl: string;
  fetch: FetchLike;
  now: () => Date;
  clientId: string;
  clientSecret: string;
}

interface PaypalErrorBody {
  name?: string;
  message?: string;
  debug_id?: string;
  details?: { issue?: string; description?: string }[];
  error?: string;
  error_description?: string;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

/**
 * Tokens live about nine hours and the server builds an adapter per request, so the cache is
 * per process, keyed by API base, client id and a hash of the secret (a changed secret is a new
 * key), with one fetch in flight per key.
 */
const tokens = new Map<string, CachedToken>();
const inFlight = new Map<string, Promise<CachedToken>>();

export class PaypalClient {
  private readonly o: PaypalClientOptions;
  private readonly cacheKey: string;

  constructor(o: PaypalClientOptions) {
    this.o = o;
    const secret = createHash('sha256').update(o.clientSecret).digest('base64url');
    this.cacheKey = `${o.baseUrl}|${o.clientId}|${secret}`;
  }

  private get token(): CachedToken | null {
    return tokens.get(this.cacheKey) ?? null;
  }

  private set token(t: CachedToken | null) {
    if (t) tokens.set(this.cacheKey, t);
    else tokens.delete(this.cacheKey);
  }

  private url(path: string) {
    return `${this.o.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  async accessToken(): Promise<string> {
    const now = this.o.now().getTime();
    const cached = this.token;
    if (cached && cached.expiresAt - EARLY_REFRESH_MS > now) return cached.value;
    let pending = inFlight.get(this.cacheKey);
    if (!pending) {
      pending = this.fetchToken(now).finally(() => inFlight.delete(this.cacheKey));
      inFlight.set(this.cacheKey, pending);
    }
    return (await pending).value;
  }

  private async fetchToken(now: number): Promise<CachedToken> {
    const basic = Buffer.from(`${this.o.clientId}:${this.o.clientSecret}`).toString('base64');
    const res = await this.send(this.url('/v1/oauth2/token'), {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json().catch(() => null)) as {
      access_token?: string;
      expires_in?: number;
    } | null;
    if (!res.ok || !body?.access_token) {
      throw gatewayRefused('PayPal', 'the client id and secret were refused', { status: res.status });
    }
    const seconds = Number(body.expires_in ?? 32_400) || 32_400;
    const fresh = { value: body.access_token, expiresAt: now + seconds * 1000 };
    this.token = fresh;
    return fresh;
  }

  /** A JSON call with the bearer token; one fresh token and one retry on 401. */
  async call<T>(method: 'GET' | 'POST', path: string, payload?: unknown, requestId?: string): Promise<T> {
    const token = await this.accessToken();
    try {
      return await this.callOnce<T>(token, method, path, payload, requestId);
    } catch (e) {
      if (e instanceof PaypalApiError && e.httpStatus === 401) {
        // Expired or revoked: drop it unless a concurrent call already replaced it.
        if (this.token?.value === token) this.token = null;
        return this.callOnce<T>(await this.accessToken(), method, path, payload, requestId);
      }
      throw e;
    }
  }

  private async callOnce<T>(
    token: string,
    method: 'GET' | 'POST',
    path: string,
    payload?: unknown,
    requestId?: string,
  ) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      prefer: 'return=representation',
    };
    if (method === 'POST') headers['content-type'] = 'application/json';
    if (requestId) headers['paypal-request-id'] = requestId;
    const res = await this.send(this.url(path), {
      method,
      headers,
      ...(method === 'POST' && { body: payload === undefined ? '{}' : JSON.stringify(payload) }),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = null;
    }
    if (!res.ok) {
      const err = (body ?? {}) as PaypalErrorBody;
      if (res.status >= 500) throw gatewayDown('PayPal', `answered HTTP ${res.status}`);
      if (res.status === 429) throw gatewayBusy('PayPal', 'too many requests; try again shortly');
      throw new PaypalApiError(
        res.status,
        err.name ?? err.error ?? 'ERROR',
        err.details?.[0]?.issue ?? null,
        err.details?.[0]?.description ?? err.message ?? err.error_description ?? `HTTP ${res.status}`,
        err.debug_id ?? null,
      );
    }
    if (body === null) throw gatewayDown('PayPal', 'answered with something that is not JSON');
    return body as T;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.o.fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    } catch {
      throw gatewayDown('PayPal', 'could not be reached');
    }
  }
}

/** PayPal API errors as domain errors, safe to show an operator (the debug id helps PayPal support). */
export function paypalFailure(e: unknown): unknown {
  if (!(e instanceof PaypalApiError)) return e;
  if (e.httpStatus === 401) return gatewayRefused('PayPal', 'the client id and secret were refused');
  return gatewayRefused('PayPal', e.message, { issue: e.issue, debugId: e.debugId });
}
