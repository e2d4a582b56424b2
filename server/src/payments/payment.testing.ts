// A payments world for tests: a billing tenant with M-Pesa, Stripe and PayPal set up against local
// fakes, the webhook routes on a real HTTP server, and helpers to run the payment jobs.
import {
  DARAJA_TEST_CREDENTIALS,
  PAYPAL_TEST_CREDENTIALS,
  startDarajaFake,
  startPaypalFake,
  startStripeFake,
  STRIPE_TEST_KEY,
  STRIPE_TEST_WEBHOOK_SECRET,
  type DarajaFake,
  type PaypalFake,
  type StripeFake,
} from '@kasi/payments/testing';
import { withTenantLookup } from '@kasi/db';
import type { TestApp } from '../testing/test-app.ts';
import { listenLocal } from '../testing/local-server.ts';
import { startWorkers } from '../jobs/job-worker.ts';
import { untilFinished } from '../jobs/job.testing.ts';
import { billingWorld, type BillingWorld } from '../billing/billing.testing.ts';
import { listGateways, setGateway, setGatewayEnabled } from './gateway-settings.service.ts';
import { paymentApplyHandler, paymentApplyJob } from './payment-apply.job.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { paymentHooksHandler } from './payment-hooks.route.ts';

export interface PaymentFakes {
  daraja: DarajaFake;
  stripe: StripeFake;
  paypal: PaypalFake;
  close(): Promise<void>;
}

export async function startPaymentFakes(): Promise<PaymentFakes> {
  const [daraja, stripe, paypal] = await Promise.all([
    startDarajaFake(),
    startStripeFake(),
    startPaypalFake(),
  ]);
  return {
    daraja,
    stripe,
    paypal,
    close: async () => void (await Promise.all([daraja.close(), stripe.close(), paypal.close()])),
  };
}

export const paymentDeps = (
  t: TestApp,
  fakes: PaymentFakes,
  publicUrl = 'http://kasi.test',
): PaymentDeps => ({
  app: t.app,
  publicUrl,
  endpoints: {
    mpesa: { sandbox: fakes.daraja.url, production: fakes.daraja.url },
    stripe: fakes.stripe.url,
    paypal: { sandbox: fakes.paypal.url, live: fakes.paypal.url },
  },
});

export interface PaymentWorld extends BillingWorld {
  deps: PaymentDeps;
  hookUrls: { stk: string; stripe: string; paypal: string; c2bConfirm: string; c2bValidate: string };
}

/** A tenant with both gateways enabled; hook URLs point at `hooksBase` (a real server). */
export async function paymentWorld(t: TestApp, deps: PaymentDeps, currency = 'KES'): Promise<PaymentWorld> {
  const w = await billingWorld(t, currency);
  await setGateway(deps, w.actor, {
    gateway: 'mpesa',
    config: { ...DARAJA_TEST_CREDENTIALS, kind: 'paybill' },
  });
  await setGateway(deps, w.actor, {
    gateway: 'stripe',
    config: { secretKey: STRIPE_TEST_KEY, webhookSecret: STRIPE_TEST_WEBHOOK_SECRET },
  });
  await setGateway(deps, w.actor, { gateway: 'paypal', config: PAYPAL_TEST_CREDENTIALS });
  for (const gateway of ['mpesa', 'stripe', 'paypal'] as const) {
    await setGatewayEnabled(deps, w.actor, { gateway, enabled: true });
  }
  const gws = await listGateways(deps, w.actor);
  const mm = gws.find((g) => g.gateway === 'mpesa')!.webhookUrls as unknown as Record<string, string>;
  const st = gws.find((g) => g.gateway === 'stripe')!.webhookUrls as unknown as Record<string, string>;
  const pp = gws.find((g) => g.gateway === 'paypal')!.webhookUrls as unknown as Record<string, string>;
  return {
    ...w,
    deps,
    hookUrls: {
      stk: mm.stkCallback!,
      c2bConfirm: mm.c2bConfirmation!,
      c2bValidate: mm.c2bValidation!,
      stripe: st.webhook!,
      paypal: pp.webhook!,
    },
  };
}

/** The webhook routes on 127.0.0.1; `post` rewrites a public hook URL onto it. */
export async function startHooksServer(deps: PaymentDeps) {
  const handler = paymentHooksHandler(deps);
  // As http-server.ts runs it: the path token is a pre-tenant lookup (ADR 0019).
  const { base, close } = await listenLocal((req, res) => withTenantLookup(() => handler(req, res)));
  return {
    post: (publicHookUrl: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
      fetch(publicHookUrl.replace(deps.publicUrl, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      }),
    /** The body in pieces, chunked (no Content-Length), each written once the last is out. */
    postChunks: (publicHookUrl: string, chunks: string[]) =>
      fetch(publicHookUrl.replace(deps.publicUrl, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream<Uint8Array>({
          async pull(c) {
            const next = chunks.shift();
            if (next === undefined) return c.close();
            await new Promise((r) => setTimeout(r, 5));
            c.enqueue(new TextEncoder().encode(next));
          },
        }),
        duplex: 'half',
      } as RequestInit),
    close,
  };
}

/** Runs `payment.apply` until every job of the tenant is finished. */
export async function applyPayments(deps: PaymentDeps, tenantId: string, count = 1) {
  const w = await startWorkers(deps.app.jobs, [paymentApplyHandler(deps)], deps.app.log);
  try {
    return await untilFinished(await deps.app.jobs.boss(), paymentApplyJob.name, {
      match: { tenantId },
      count,
    });
  } finally {
    await w.stop();
  }
}
