// `/p/<token>` — the pay page. GET shows what is owed and the tenant's enabled methods; a
// POST starts a payment (M-Pesa: push, then the attempt page; card: straight to Stripe
// Checkout, created now); `/p/<token>/a/<attempt>` follows the attempt with no cookie.
// Unknown, revoked and expired links all get the same page (no oracle).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, eq } from 'drizzle-orm';
import { paymentGateways } from '@kasi/db';
import { isDomainError } from '@kasi/domain';
import { settleAttempt } from './attempt-settle.ts';
import { openGateway } from './gateway-factory.ts';
import { attemptPage, linkPage, notFoundPage, type MethodChoice } from './pay-page.html.ts';
import { PAY_SCRIPT, PAY_SCRIPT_PATH } from './pay-page.script.ts';
import { openPayLink, PAY_PATH } from './pay-link.service.ts';
import { attemptForLink, startFromLink } from './payment-attempt.service.ts';
import type { PaymentDeps } from './payment-deps.ts';

/** Card checkout lives on Stripe: the form that starts it may redirect there. */
const PAY_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self' https://checkout.stripe.com",
  "frame-ancestors 'none'",
].join('; ');

const MAX_FORM = 4096;

function send(res: ServerResponse, status: number, html: string) {
  res.setHeader('content-security-policy', PAY_CSP);
  res
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_FORM) break;
    chunks.push(c);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function methodsOf(deps: PaymentDeps, tenantId: string): Promise<MethodChoice> {
  const rows = await deps.app.db
    .select({ gateway: paymentGateways.gateway })
    .from(paymentGateways)
    .where(and(eq(paymentGateways.tenantId, tenantId), eq(paymentGateways.enabled, true)));
  return { mpesa: rows.some((r) => r.gateway === 'mpesa'), stripe: rows.some((r) => r.gateway === 'stripe') };
}

/** A card buyer back from Checkout: ask Stripe once rather than wait for the webhook. */
async function refreshStripe(deps: PaymentDeps, a: NonNullable<Awaited<ReturnType<typeof attemptForLink>>>) {
  if (a.gateway !== 'stripe' || a.status !== 'pending' || !a.providerRef) return a;
  try {
    const tg = await openGateway(deps, deps.app.db, a.tenantId, 'stripe');
    const s = await tg.gateway.fetchStatus(a.providerRef);
    if (s.state === 'succeeded') await settleAttempt(deps, a, { ...s, state: 'succeeded' });
  } catch (e) {
    if (!isDomainError(e)) throw e;
  }
  return a;
}

export function payPageHandler(deps: PaymentDeps) {
  const { db } = deps.app;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === PAY_SCRIPT_PATH) {
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=3600',
      });
      res.end(PAY_SCRIPT);
      return;
    }
    const m = /^\/p\/([\w-]{16,64})(?:\/(mpesa|stripe)|\/a\/([0-9a-f-]{36})(\/status)?)?$/i.exec(path);
    const token = m?.[1] ?? '';
    const link = m ? await openPayLink(db, token) : null;
    if (!m || !link) return send(res, 404, notFoundPage());
    const base = `${PAY_PATH}${token}`;
    const methods = await methodsOf(deps, link.tenantId);
    const [, , method, attemptId, status] = m;
    if (method) {
      if (req.method !== 'POST') return void res.writeHead(303, { location: base }).end();
      const form = await readForm(req);
      const phone = form.get('phone')?.slice(0, 32) ?? '';
      try {
        const { attemptId: id, started } = await startFromLink(deps, {
          token,
          gateway: method as 'mpesa' | 'stripe',
          ...(method === 'mpesa' && { phone }),
        });
        const to = started.kind === 'redirect' ? started.url : `${base}/a/${id}`;
        return void res.writeHead(303, { location: to, 'cache-control': 'no-store' }).end();
      } catch (e) {
        if (!isDomainError(e)) throw e;
        return send(res, 200, linkPage(base, link, methods, e.message, phone));
      }
    }
    if (attemptId) {
      const found = await attemptForLink(db, token, attemptId);
      if (!found) return send(res, 404, notFoundPage());
      if (status) {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        return void res.end(
          JSON.stringify({ status: found.status, reason: found.reason, receipt: found.receipt }),
        );
      }
      await refreshStripe(deps, found);
      const a = (await attemptForLink(db, token, attemptId)) ?? found;
      const fresh = (await openPayLink(db, token)) ?? link;
      return send(res, 200, attemptPage(base, fresh, a, methods));
    }
    send(res, 200, linkPage(base, link, methods));
  };
}
