// GET /print/runs/:runId.pdf — a plain HTTP route rather than tRPC because the browser opens
// the PDF directly (new tab, print dialog). Same session cookie as the API. The run was made
// by the `voucher.printRun` procedure; `?reprint=1` counts the download as a reprint.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDomainError, unauthenticated, type DomainErrorKind } from '@kasi/domain';
import type { Actor, AppContext } from '../../app-context.ts';
import { findSession } from '../../auth/auth.service.ts';
import { readCookie, SESSION_COOKIE } from '../../http/cookies.ts';
import { renderPrintRun } from './print-run.service.ts';

export const PRINT_PATH_PREFIX = '/print/runs/';
const PATH = /^\/print\/runs\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.pdf$/i;

const KIND_TO_STATUS: Record<DomainErrorKind, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  forbidden: 403,
  unauthenticated: 401,
  rate_limited: 429,
  unavailable: 502,
};

async function sessionActor(app: AppContext, req: IncomingMessage, requestId: string): Promise<Actor> {
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  const s = token ? await findSession(app, token) : null;
  if (!s) throw unauthenticated('AUTH.NO_SESSION', 'Please log in');
  return { tenantId: s.tenantId, userId: s.userId, label: s.email, role: s.role, requestId };
}

function sendError(app: AppContext, res: ServerResponse, err: unknown, requestId: string): void {
  const status = isDomainError(err) ? KIND_TO_STATUS[err.kind] : 500;
  // Unknown errors are logged with the request id and never shown raw.
  if (status === 500) app.log.error({ err, requestId }, 'voucher print failed');
  const message = isDomainError(err) ? err.message : `Something went wrong (request ${requestId})`;
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

export function voucherPrintHandler(app: AppContext, opts: { compress?: boolean } = {}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    // Printed codes are bearer credentials: never cached by the browser or a proxy.
    res.setHeader('cache-control', 'no-store');
    const url = new URL(req.url ?? '/', 'http://kasi.invalid');
    const runId = PATH.exec(url.pathname)?.[1];
    if (req.method !== 'GET' || !runId) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    try {
      const actor = await sessionActor(app, req, requestId);
      const printed = await renderPrintRun(app, actor, {
        runId: runId.toLowerCase(),
        reprint: url.searchParams.get('reprint') === '1',
        compress: opts.compress,
      });
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': printed.pdf.length,
        'content-disposition': `inline; filename="${printed.fileName}"`,
      });
      res.end(printed.pdf);
    } catch (err) {
      sendError(app, res, err, requestId);
    }
  };
}
