// The /my page's only way to the server: plain fetch to /api/my (no tRPC client, no superjson:
// the page's JavaScript budget is 50 KB gzip). Errors come back typed.
import type { Overview } from './my-types.ts';

export class MyApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

async function call<T>(path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/my/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new MyApiError(0, 'OFFLINE', 'offline');
  }
  const data = (await res.json().catch(() => ({}))) as {
    error?: { code: string; message: string; field?: string; retryAfterSeconds?: number };
  };
  if (!res.ok) {
    const e = data.error;
    const retry = Number(res.headers.get('retry-after')) || e?.retryAfterSeconds;
    throw new MyApiError(res.status, e?.code ?? 'HTTP', e?.message ?? res.statusText, e?.field, retry);
  }
  return data as T;
}

export const myApi = {
  account: () => call<Overview>('account'),
  requestCode: (phone: string) => call<{ resendAfterSeconds: number }>('otp', { phone }),
  verifyCode: (phone: string, code: string) => call<{ ok: true }>('otp/verify', { phone, code }),
  password: (username: string, password: string) => call<{ ok: true }>('password', { username, password }),
  signOut: () => call<{ ok: true }>('sign-out', {}),
  pay: (invoiceId: string | null) => call<{ path: string }>('pay', { invoiceId }),
  buy: (planId: string) => call<{ path: string }>('buy', { planId }),
  previewPlan: (planId: string) => call<PlanPreview>('plan/preview', { planId }),
  changePlan: (planId: string) => call<PlanPreview>('plan', { planId }),
  /** A code to the new number; answers the number as the server will store it (E.164). */
  changePhone: (phone: string) => call<{ phone: string; resendAfterSeconds: number }>('phone', { phone }),
  confirmPhone: (code: string) => call<{ phone: string }>('phone/verify', { code }),
};

export interface PlanPreview {
  to: { id: string; name: string; priceMinor: string };
  currency: string;
  netMinor: string;
}
