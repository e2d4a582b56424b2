// Where providers call Kasi. Daraja refuses callback URLs that contain "mpesa" or
// "safaricom", so M-Pesa's live under /hooks/mm/; Stripe's and PayPal's under their names.
// The token is the tenant's secret.
import type { GatewayKind } from '@kasi/db';

export const HOOKS_MM = '/hooks/mm/';
export const HOOKS_STRIPE = '/hooks/stripe/';
export const HOOKS_PAYPAL = '/hooks/paypal/';

export function webhookUrls(base: string, gateway: GatewayKind, token: string) {
  if (gateway === 'mpesa') {
    return {
      stkCallback: `${base}${HOOKS_MM}${token}/stk`,
      c2bValidation: `${base}${HOOKS_MM}${token}/c2b/validate`,
      c2bConfirmation: `${base}${HOOKS_MM}${token}/c2b/confirm`,
      // Transaction Status answers (ADR 0029): the result, or Daraja's queue timeout.
      statusResult: `${base}${HOOKS_MM}${token}/status/result`,
      statusTimeout: `${base}${HOOKS_MM}${token}/status/timeout`,
    };
  }
  if (gateway === 'paypal') return { webhook: `${base}${HOOKS_PAYPAL}${token}` };
  return { webhook: `${base}${HOOKS_STRIPE}${token}` };
}
