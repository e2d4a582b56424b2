// A GET route that answers a PDF to a signed-in operator: plain HTTP rather than tRPC because
// the browser opens the PDF directly (new tab, print dialog), with the same session cookie
// as the API. Voucher print runs and billing documents share it; the service authorises.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDomainError, unauthenticated, type DomainErrorKind } from '@kasi/domain';
import { actForTenant, withTenantLookup } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { findSession } from '../auth/auth.service.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';

const KIND_TO_STATUS: Record<DomainErrorKind, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  forbidden: 403,
  unauthenticated: 401,
  rate_limited: 429,
  unavailable: 502,
};

export interface RenderedPdf {
  pdf: Buffer;
  fileName: string;
}

export interface PdfRoute {
  /** Matched against the path; no match (or not a GET) is a 404. */
  path: RegExp;
  /** Names the route in the log line of an unexpected failure. */
  name: string;
  render(actor: Actor, match: RegExpExecArray, query: URLSearchParams): Promise<RenderedPdf>;
}

export async function sessionActor(app: AppContext, req: IncomingMessage, requestId: string): Promise<Actor> {
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  const s = token ? await findSession(app, token) : null;
  if (!s) throw unauthenticated('AUTH.NO_SESSION', 'Please log in');
  // The rest of the request acts for the session's tenant (row-level security, ADR 0019).
  actForTenant(s.tenantId, s.userId);
  return { tenantId: s.tenantId, userId: s.userId, label: s.email, role: s.role, requestId };
}

export function sendError(
  app: AppContext,
  res: ServerResponse,
  err: unknown,
  requestId: string,
  name: string,
) {
  const status = isDomainError(err) ? KIND_TO_STATUS[err.kind] : 500;
  // Unknown errors are logged with the request id and never shown raw.
  if (status === 500) app.log.error({ err, requestId }, `${name} failed`);
  const message = isDomainError(err) ? err.message : `Something went wrong (request ${requestId})`;
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

export function pdfRouteHandler(app: AppContext, route: PdfRoute) {
  return (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    withTenantLookup(() => handlePdf(app, route, req, res));
}

async function handlePdf(app: AppContext, route: PdfRoute, req: IncomingMessage, res: ServerResponse) {
  const requestId = randomUUID();
  res.setHeader('x-request-id', requestId);
  // PDFs carry codes and customers' details: never cached by the browser or a proxy.
  res.setHeader('cache-control', 'no-store');
  const url = new URL(req.url ?? '/', 'http://kasi.invalid');
  const match = route.path.exec(url.pathname);
  if (req.method !== 'GET' || !match) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  try {
    const actor = await sessionActor(app, req, requestId);
    const out = await route.render(actor, match, url.searchParams);
    res.writeHead(200, {
      'content-type': 'application/pdf',
      'content-length': out.pdf.length,
      'content-disposition': `inline; filename="${out.fileName}"`,
    });
    res.end(out.pdf);
  } catch (err) {
    sendError(app, res, err, requestId, route.name);
  }
}
