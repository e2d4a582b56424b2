// `/p/<token>` — the pay page. GET shows what is owed and the tenant's enabled methods; a
// POST starts a payment (M-Pesa: push, then the attempt page; card: straight to Stripe
// Checkout, created now; PayPal: to an order created now, captured when the buyer comes back
// to `/p/<token>/a/<attempt>`); that page follows the attempt with no cookie.
// Unknown, revoked and expired links all get the same page (no oracle). The operator's logo is
// served under the link (`/p/<token>/logo?v=<version>`, no cookie, cached for good: a new logo
// has a new version), so captive-portal pop-ups show it without a session.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, eq, sql } from 'drizzle-orm';
import { actForTenant, payLinks, paymentGateways, tenants, type Executor } from '@kasi/db';
import { DEFAULT_HOTSPOT_URL, isDomainError } from '@kasi/domain';
import { PAYPAL_CURRENCIES } from '@kasi/payments';
import { settleAttempt } from './attempt-settle.ts';
import { hashToken, openGateway } from './gateway-factory.ts';
import {
  attemptPage,
  linkPage,
  notFoundPage,
  type IssuedVoucher,
  type MethodChoice,
  type PageLook,
} from './pay-page.html.ts';
import { PAY_SCRIPT, PAY_SCRIPT_PATH } from './pay-page.script.ts';
import { openPayLink, PAY_PATH } from './pay-link.service.ts';
import { attemptForLink, startFromLink } from './payment-attempt.service.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { codesOfLink } from './plan-purchase.ts';
import { hotspotLoginUrl } from '../vouchers/print/print-options.ts';
import { brandColour } from '../settings/brand-logo.ts';

/** Card checkout lives on Stripe: the form that starts it may redirect there. */
const PAY_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self' https://checkout.stripe.com https://www.paypal.com https://www.sandbox.paypal.com",
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

/** The tenant's enabled methods that can take the link's currency (PayPal takes no KES). */
async function methodsOf(deps: PaymentDeps, tenantId: string, currency: string): Promise<MethodChoice> {
  const rows = await deps.app.db
    .select({ gateway: paymentGateways.gateway })
    .from(paymentGateways)
    .where(and(eq(paymentGateways.tenantId, tenantId), eq(paymentGateways.enabled, true)));
  const on = (g: string) => rows.some((r) => r.gateway === g);
  return {
    mpesa: on('mpesa'),
    stripe: on('stripe'),
    paypal: on('paypal') && PAYPAL_CURRENCIES.has(currency),
  };
}

/**
 * A buyer back from Stripe Checkout or PayPal: ask the provider once rather than wait for the
 * webhook. For PayPal this is what captures the approved order (PayPal's return URL).
 */
async function refreshRedirected(
  deps: PaymentDeps,
  a: NonNullable<Awaited<ReturnType<typeof attemptForLink>>>,
) {
  if (a.gateway === 'mpesa' || a.status !== 'pending' || !a.providerRef) return a;
  try {
    const tg = await openGateway(deps, deps.app.db, a.tenantId, a.gateway);
    const s = await tg.gateway.fetchStatus(a.providerRef);
    if (s.state !== 'pending') await settleAttempt(deps, a, { ...s, state: s.state });
  } catch (e) {
    if (!isDomainError(e)) throw e;
  }
  return a;
}

/**
 * "Log in now" for a bought code (ADR 0024). A device that came from its hotspot's login page
 * goes back to that router's login address with the code as username: the router serves the
 * login page with a fresh CHAP challenge and the page logs in at once, as from a card's QR.
 * Otherwise the tenant's hotspot login address, as on the voucher cards; when the link names
 * router, MAC and IP, Kasi logs the device in over the router's API (hotspot-login.job.ts).
 */
async function issuedOf(deps: PaymentDeps, link: { id: string; tenantId: string; planId: string | null }) {
  if (!link.planId) return [];
  const codes = await codesOfLink(deps.app.db, link.tenantId, link.id);
  if (codes.length === 0) return [];
  const [t] = await deps.app.db
    .select({
      url: tenants.hotspotUrl,
      routerId: payLinks.routerId,
      mac: payLinks.clientMac,
      ip: payLinks.clientIp,
      loginUrl: payLinks.clientLoginUrl,
    })
    .from(payLinks)
    .innerJoin(tenants, eq(tenants.id, payLinks.tenantId))
    .where(and(eq(payLinks.tenantId, link.tenantId), eq(payLinks.id, link.id)));
  const hotspot = (t?.url ?? deps.app.sms?.hotspotUrl ?? DEFAULT_HOTSPOT_URL).replace(/\/+$/, '');
  const device = Boolean(t?.routerId && t.mac && t.ip);
  return codes.map((c): IssuedVoucher & { attemptId: string } => {
    if (t?.loginUrl) {
      const back = new URL(t.loginUrl);
      back.searchParams.set('username', c.code);
      return { attemptId: c.attemptId, code: c.code, loginUrl: back.toString(), connect: 'page' };
    }
    return {
      attemptId: c.attemptId,
      code: c.code,
      loginUrl: hotspotLoginUrl(hotspot, c.code),
      connect: device ? 'router' : null,
    };
  });
}

/** A logo as saved in settings (a data: URL); older rows may hold a WebP, which browsers show. */
const LOGO_DATA_URL = /^data:(image\/(?:png|jpeg|webp));base64,([A-Za-z0-9+/]+=*)$/;
const LOGO_DATA_URL_SQL = '^data:image/(png|jpeg|webp);base64,';

/**
 * The operator's colour and the address of its logo. The logo's version is a hash computed in
 * PostgreSQL, so the page does not carry the image (up to 64 KB) on every load.
 */
async function lookOf(db: Executor, tenantId: string, base: string): Promise<PageLook> {
  const [t] = await db
    .select({
      colour: tenants.brandColour,
      version: sql<
        string | null
      >`case when ${tenants.logo} ~ ${LOGO_DATA_URL_SQL} then left(md5(${tenants.logo}), 12) end`,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return {
    colour: brandColour(t?.colour),
    logoUrl: t?.version ? `${base}/logo?v=${t.version}` : null,
  };
}

/** The logo's bytes for `/p/<token>/logo`; 404 when the tenant has none. */
async function sendLogo(db: Executor, tenantId: string, res: ServerResponse): Promise<void> {
  const [t] = await db.select({ logo: tenants.logo }).from(tenants).where(eq(tenants.id, tenantId));
  const m = LOGO_DATA_URL.exec(t?.logo ?? '');
  if (!m) return void res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end();
  const bytes = Buffer.from(m[2] ?? '', 'base64');
  res.writeHead(200, {
    'content-type': m[1] ?? 'application/octet-stream',
    'content-length': bytes.length,
    // The URL names the logo's version; a changed logo is a new URL.
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  });
  res.end(bytes);
}

/** The token names the tenant (a pre-tenant lookup); the rest of the request acts for it (ADR 0019). */
async function openLinkOfRequest(db: Executor, token: string) {
  if (!/^[\w-]{16,64}$/.test(token)) return null;
  const [row] = await db
    .select({ tenantId: payLinks.tenantId })
    .from(payLinks)
    .where(eq(payLinks.tokenHash, hashToken(token)));
  if (!row) return null;
  actForTenant(row.tenantId);
  return openPayLink(db, token);
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
    const m =
      /^\/p\/([\w-]{16,64})(?:\/(mpesa|stripe|paypal)|\/a\/([0-9a-f-]{36})(\/status)?|\/(logo))?$/i.exec(
        path,
      );
    const token = m?.[1] ?? '';
    const open = m ? await openLinkOfRequest(db, token) : null;
    if (!m || !open) return send(res, 404, notFoundPage());
    const [, , method, attemptId, status, logo] = m;
    if (logo) return sendLogo(db, open.tenantId, res);
    const base = `${PAY_PATH}${token}`;
    const look = await lookOf(db, open.tenantId, base);
    const link = { ...open, ...look };
    const methods = await methodsOf(deps, link.tenantId, link.currency);
    if (method) {
      if (req.method !== 'POST') return void res.writeHead(303, { location: base }).end();
      const form = await readForm(req);
      const phone = form.get('phone')?.slice(0, 32) ?? '';
      try {
        const { attemptId: id, started } = await startFromLink(deps, {
          token,
          gateway: method as 'mpesa' | 'stripe' | 'paypal',
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
      await refreshRedirected(deps, found);
      const a = (await attemptForLink(db, token, attemptId)) ?? found;
      const reread = await openPayLink(db, token);
      const fresh = reread ? { ...reread, ...look } : link;
      const issued = (await issuedOf(deps, fresh)).find((c) => c.attemptId === a.id) ?? null;
      return send(res, 200, attemptPage(base, fresh, a, methods, issued));
    }
    send(res, 200, linkPage(base, link, methods, undefined, '', await issuedOf(deps, link)));
  };
}
