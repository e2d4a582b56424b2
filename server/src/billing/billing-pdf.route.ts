// GET /pdf/invoices/:id.pdf and /pdf/receipts/:paymentId.pdf — plain HTTP because the
// browser opens the PDF directly (new tab, print dialog). Same session cookie as the API;
// the services authorise (billing.read) like every other read.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDomainError, unauthenticated, type DomainErrorKind } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { findSession } from '../auth/auth.service.ts';
import { readCookie, SESSION_COOKIE } from '../http/cookies.ts';
import { invoicePdf, receiptPdf } from './billing-pdf.service.ts';

export const BILLING_PDF_PREFIX = '/pdf/';
const PATH =
  /^\/pdf\/(invoices|receipts)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.pdf$/i;

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

export function billingPdfHandler(app: AppContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    res.setHeader('cache-control', 'no-store');
    const m = PATH.exec(new URL(req.url ?? '/', 'http://kasi.invalid').pathname);
    if (req.method !== 'GET' || !m?.[1] || !m[2]) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    try {
      const actor = await sessionActor(app, req, requestId);
      const id = m[2].toLowerCase();
      const out = m[1] === 'invoices' ? await invoicePdf(app, actor, id) : await receiptPdf(app, actor, id);
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': out.pdf.length,
        'content-disposition': `inline; filename="${out.fileName}"`,
      });
      res.end(out.pdf);
    } catch (err) {
      const status = isDomainError(err) ? KIND_TO_STATUS[err.kind] : 500;
      if (status === 500) app.log.error({ err, requestId }, 'billing pdf failed');
      const message = isDomainError(err) ? err.message : `Something went wrong (request ${requestId})`;
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(message);
    }
  };
}
