// One origin: the PWA, the tRPC API under /trpc, provider webhooks under /hooks and a
// health endpoint. Every answer carries the security headers; bodies are limited per route.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.ts';
import { appRouter } from '../trpc/app.router.ts';
import { contextFactory, responseMeta } from '../trpc/trpc.ts';
import { staticFiles } from './static-files.ts';
import { bodyLimitFor, declaresTooLarge, dropUnreadBody, refuseTooLarge } from './body-limit.ts';
import { DEFAULT_HTTP_SETTINGS, type HttpSettings } from './http-settings.ts';
import { securityHeaders } from './security-headers.ts';
import { PRINT_PATH_PREFIX, voucherPrintHandler } from '../vouchers/print/print.route.ts';
import { isSmsHookPath } from '../sms/sms-hooks.route.ts';
import { BILLING_PDF_PREFIX, billingPdfHandler } from '../billing/billing-pdf.route.ts';
import { consoleCsvLists } from '../reports/csv-lists.ts';
import { CSV_PATH_PREFIX, csvRouteHandler } from './csv-route.ts';
import { isPaymentRoute, type PaymentRoutes } from '../payments/payment-routes.ts';
import { SELF_SERVICE_PREFIX, selfServiceHandler } from '../self-service/self-service.route.ts';
import type { OtpVerifyProvider } from '../self-service/twilio-verify.ts';
import { hotspotPageHandler, isHotspotRoute } from '../hotspot/hotspot-page.route.ts';
import { AGENT_EVENTS_PATH, agentEventsHandler } from '../agents/agent-events.route.ts';

type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Routes that exist only when configured (a webhook needs its provider's secret). */
export interface OptionalRoutes {
  /** SMS delivery reports and inbound messages (sms-hooks.route.ts). */
  smsHooks?: RouteHandler | null;
  /** Payment webhooks and the pay page (payment-routes.ts). */
  payments?: PaymentRoutes | null;
  /** Twilio Verify holds subscribers' one-time codes (else Kasi's codes through the SMS outbox). */
  otpVerify?: OtpVerifyProvider | null;
}

/** Enough for any page of the PWA; a larger batch is refused with 400. */
export const MAX_BATCH_CALLS = 20;

/** Browsers send Origin on cross-site POSTs; refuse any that is not ours (CSRF). */
function crossOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin || req.method === 'GET') return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

export function createHttpServer(
  app: AppContext,
  webDir: string,
  routes: OptionalRoutes = {},
  overrides: Partial<HttpSettings> = {},
): Server {
  const settings = { ...DEFAULT_HTTP_SETTINGS, ...overrides };
  const trpc = createHTTPHandler({
    router: appRouter,
    createContext: contextFactory(app, settings),
    basePath: '/trpc/',
    maxBodySize: settings.maxBodyBytes,
    maxBatchSize: MAX_BATCH_CALLS,
    responseMeta,
  });
  const web = staticFiles(webDir);
  const printVouchers = voucherPrintHandler(app);
  const billingPdfs = billingPdfHandler(app);
  const selfService = selfServiceHandler(app, {
    trustedProxies: settings.trustedProxies,
    verify: routes.otpVerify ?? null,
  });
  const csvLists = csvRouteHandler(app, consoleCsvLists(app));
  const hotspotPages = hotspotPageHandler(app);
  const agentEvents = agentEventsHandler(app);
  const headers = Object.entries(securityHeaders({ webDir, publicUrl: settings.publicUrl }));
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of headers) res.setHeader(k, v);
    const url = req.url ?? '/';
    const limit = bodyLimitFor(url, settings.maxBodyBytes);
    if (declaresTooLarge(req, limit)) {
      refuseTooLarge(res, limit);
      return;
    }
    dropUnreadBody(req, res);
    if (url.startsWith('/trpc/')) {
      if (crossOrigin(req)) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('Cross-origin request refused');
        return;
      }
      res.setHeader('cache-control', 'no-store');
      trpc(req, res);
      return;
    }
    if (url.startsWith(PRINT_PATH_PREFIX)) {
      void printVouchers(req, res);
      return;
    }
    if (url.startsWith(SELF_SERVICE_PREFIX)) {
      void selfService(req, res);
      return;
    }
    if (url.startsWith(BILLING_PDF_PREFIX)) {
      void billingPdfs(req, res);
      return;
    }
    if (url.startsWith(CSV_PATH_PREFIX)) {
      void csvLists(req, res);
      return;
    }
    if (isSmsHookPath(url)) {
      if (routes.smsHooks) void routes.smsHooks(req, res);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    if (routes.payments && isPaymentRoute(url)) {
      void routes.payments.handle(req, res);
      return;
    }
    if (isHotspotRoute(url)) {
      hotspotPages(req, res).catch((err: unknown) => {
        app.log.error({ err }, 'hotspot page route failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('Please try again');
      });
      return;
    }
    if (url.startsWith(AGENT_EVENTS_PATH)) {
      void agentEvents(req, res);
      return;
    }
    if (url === '/healthz') {
      app.db.execute(sql`select 1`).then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
        () =>
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"database unavailable"}'),
      );
      return;
    }
    web(req, res).catch((err: unknown) => {
      app.log.error({ err }, 'static file error');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
}
