// /api/my/* — the subscriber-facing API behind /my. Plain JSON routes with their own cookie
// and session (subscriber-session.ts); nothing here reaches a tRPC procedure, and nothing
// under /trpc reads this cookie. POSTs must be JSON from our own origin (CSRF).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { actForTenant, withTenantLookup } from '@kasi/db';
import { invalid, unauthenticated } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { clientOrigin, trustedProxyList } from '../http/client-address.ts';
import { readCookie } from '../http/cookies.ts';
import {
  confirmPhoneChange,
  requestPhoneChange,
  requestSignInCode,
  verifySignInCode,
  type OtpDeps,
} from './otp.service.ts';
import { signInWithPassword } from './password-sign-in.ts';
import { field, readJson, sendError, sendJson } from './self-service-http.ts';
import {
  buyPlanLink,
  ownInvoicePdf,
  payLinkFor,
  planChange,
  planChangePreview,
} from './self-service.actions.ts';
import { selfServiceOverview } from './self-service.read.ts';
import {
  clearedSubscriberCookie,
  findSubscriberSession,
  revokeSubscriberSession,
  SELF_SERVICE_PREFIX,
  SUBSCRIBER_COOKIE,
  subscriberCookie,
  type SubscriberSession,
} from './subscriber-session.ts';
import type { OtpVerifyProvider } from './twilio-verify.ts';

export { SELF_SERVICE_PREFIX };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PDF = /^invoices\/([0-9a-f-]{36})\.pdf$/i;

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  ip: string;
  secure: boolean;
  requestId: string;
  body: Record<string, unknown>;
}

function crossOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

const uuidField = (body: Record<string, unknown>, name: string) => {
  const v = field(body, name, 36);
  if (!UUID.test(v)) throw invalid('HTTP.FIELD', `${name} is not an id`, { field: name });
  return v;
};

export interface SelfServiceOptions {
  trustedProxies?: readonly string[];
  verify?: OtpVerifyProvider | null;
}

export function selfServiceHandler(app: AppContext, opts: SelfServiceOptions = {}) {
  const proxies = trustedProxyList(opts.trustedProxies ?? []);
  const deps: OtpDeps = { app, verify: opts.verify ?? null };

  async function session(c: Call): Promise<SubscriberSession> {
    const token = readCookie(c.req.headers.cookie, SUBSCRIBER_COOKIE);
    const s = token ? await findSubscriberSession(app, token) : null;
    if (!s) throw unauthenticated('MY.NO_SESSION', 'Please sign in');
    // The session named the tenant: the rest of the request acts for it (row-level security).
    actForTenant(s.tenantId);
    return s;
  }
  const client = (c: Call) => ({ ip: c.ip, userAgent: c.req.headers['user-agent'] ?? null });
  const signedIn = (c: Call, token: string) =>
    sendJson(c.res, 200, { ok: true }, { 'set-cookie': subscriberCookie(token, c.secure) });

  const posts: Record<string, (c: Call) => Promise<void>> = {
    otp: async (c) =>
      sendJson(c.res, 202, await requestSignInCode(deps, { phone: field(c.body, 'phone', 32), ip: c.ip })),
    'otp/verify': async (c) => {
      const { token } = await verifySignInCode(
        deps,
        { phone: field(c.body, 'phone', 32), code: field(c.body, 'code', 12) },
        client(c),
      );
      signedIn(c, token);
    },
    password: async (c) => {
      const body = { username: field(c.body, 'username', 64), password: field(c.body, 'password', 128) };
      signedIn(c, (await signInWithPassword(app, body, client(c))).token);
    },
    'sign-out': async (c) => {
      const token = readCookie(c.req.headers.cookie, SUBSCRIBER_COOKIE);
      const s = token ? await findSubscriberSession(app, token) : null;
      if (s) {
        actForTenant(s.tenantId);
        await revokeSubscriberSession(app.db, s.sessionId);
      }
      sendJson(c.res, 200, { ok: true }, { 'set-cookie': clearedSubscriberCookie(c.secure) });
    },
    pay: async (c) => {
      const invoiceId = c.body.invoiceId == null ? null : uuidField(c.body, 'invoiceId');
      sendJson(c.res, 200, await payLinkFor(app, await session(c), invoiceId, c.requestId));
    },
    buy: async (c) =>
      sendJson(
        c.res,
        200,
        await buyPlanLink(app, await session(c), uuidField(c.body, 'planId'), c.requestId),
      ),
    'plan/preview': async (c) =>
      sendJson(
        c.res,
        200,
        await planChangePreview(app, await session(c), uuidField(c.body, 'planId'), c.requestId),
      ),
    plan: async (c) =>
      sendJson(c.res, 200, await planChange(app, await session(c), uuidField(c.body, 'planId'), c.requestId)),
    phone: async (c) =>
      sendJson(
        c.res,
        202,
        await requestPhoneChange(deps, await session(c), { phone: field(c.body, 'phone', 32), ip: c.ip }),
      ),
    'phone/verify': async (c) =>
      sendJson(
        c.res,
        200,
        await confirmPhoneChange(deps, await session(c), { code: field(c.body, 'code', 12), ip: c.ip }),
      ),
  };

  async function get(c: Call, path: string): Promise<void> {
    if (path === 'account') {
      sendJson(c.res, 200, await selfServiceOverview(app, await session(c)));
      return;
    }
    const pdf = PDF.exec(path);
    if (pdf) {
      const out = await ownInvoicePdf(app, await session(c), pdf[1]!, c.requestId);
      c.res
        .writeHead(200, {
          'content-type': 'application/pdf',
          'content-disposition': `inline; filename="${out.fileName}"`,
          'cache-control': 'no-store',
        })
        .end(out.pdf);
      return;
    }
    sendJson(c.res, 404, { error: { code: 'NOT_FOUND', message: 'No such route' } });
  }

  // Each request starts before its tenant is known (a cookie, a typed number or user name).
  return (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    withTenantLookup(() => handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    const origin = clientOrigin(req, proxies);
    const path = new URL(req.url ?? '/', 'http://x').pathname.slice(SELF_SERVICE_PREFIX.length);
    const c: Call = { req, res, ip: origin.ip, secure: origin.secure, requestId, body: {} };
    try {
      if (req.method === 'GET') return await get(c, path);
      const handler = req.method === 'POST' ? posts[path] : undefined;
      if (!handler) {
        sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'No such route' } });
        return;
      }
      if (crossOrigin(req)) {
        sendJson(res, 403, { error: { code: 'HTTP.CROSS_ORIGIN', message: 'Cross-origin request refused' } });
        return;
      }
      c.body = await readJson(req);
      await handler(c);
    } catch (err) {
      sendError(app, res, err, requestId);
    }
  }
}
