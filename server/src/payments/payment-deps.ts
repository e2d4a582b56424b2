// What the payment code needs beyond the AppContext: where the providers are (their real
// URLs in production, local fakes in tests) and the public URL that callbacks and return
// links are built on.
import type { FetchLike } from '@kasi/payments';
import type { AppContext } from '../app-context.ts';

export interface PaymentEndpoints {
  /** Daraja by the tenant's chosen environment; an override (tests, a proxy) wins for both. */
  mpesa: { sandbox: string; production: string };
  stripe: string;
  /** PayPal by the tenant's chosen environment; an override wins for both. */
  paypal: { sandbox: string; live: string };
  fetch?: FetchLike;
}

export interface PaymentDeps {
  app: AppContext;
  publicUrl: string;
  endpoints: PaymentEndpoints;
  /** Reverse proxies whose X-Forwarded-For is believed (KASI_TRUSTED_PROXIES), for source checks. */
  trustedProxies?: readonly string[];
}

export const DEFAULT_ENDPOINTS: PaymentEndpoints = {
  mpesa: { sandbox: 'https://sandbox.safaricom.co.ke', production: 'https://api.safaricom.co.ke' },
  stripe: 'https://api.stripe.com',
  paypal: { sandbox: 'https://api-m.sandbox.paypal.com', live: 'https://api-m.paypal.com' },
};

/** From configuration: KASI_MPESA_API_URL / KASI_STRIPE_API_URL / KASI_PAYPAL_API_URL replace the providers' own URLs. */
export function paymentEndpoints(o: {
  mpesaApiUrl: string | null;
  stripeApiUrl: string | null;
  paypalApiUrl?: string | null;
}): PaymentEndpoints {
  return {
    mpesa: o.mpesaApiUrl ? { sandbox: o.mpesaApiUrl, production: o.mpesaApiUrl } : DEFAULT_ENDPOINTS.mpesa,
    stripe: o.stripeApiUrl ?? DEFAULT_ENDPOINTS.stripe,
    paypal: o.paypalApiUrl ? { sandbox: o.paypalApiUrl, live: o.paypalApiUrl } : DEFAULT_ENDPOINTS.paypal,
  };
}

export const publicBase = (deps: Pick<PaymentDeps, 'publicUrl'>) => deps.publicUrl.replace(/\/+$/, '');

/** The payment deps of a booted app (tests and the CLI get the providers' own URLs). */
export const paymentDepsOf = (app: AppContext): PaymentDeps => ({
  app,
  publicUrl: app.payments?.publicUrl ?? 'http://localhost:3000',
  endpoints: app.payments?.endpoints ?? DEFAULT_ENDPOINTS,
  trustedProxies: app.payments?.trustedProxies ?? [],
});
