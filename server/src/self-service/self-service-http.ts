// JSON in and out for /api/my: a small body limit, typed errors as {error: {code, message,
// field}} with their HTTP status (429 with Retry-After), unknown errors logged, never shown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalid, isDomainError, type DomainErrorKind } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';

const KIND_TO_STATUS: Record<DomainErrorKind, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  forbidden: 403,
  unauthenticated: 401,
  rate_limited: 429,
  unavailable: 503,
};

const MAX_JSON = 4096;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    })
    .end(JSON.stringify(body));
}

/** A JSON object body; anything else (too large, not JSON, not an object) is a typed 400. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    throw invalid('HTTP.JSON_EXPECTED', 'Send JSON (content-type: application/json)');
  }
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_JSON) throw invalid('HTTP.BODY_TOO_LARGE', `The request body is over ${MAX_JSON} bytes`);
    chunks.push(c);
  }
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // the typed error below
  }
  throw invalid('HTTP.BAD_JSON', 'The request body is not a JSON object');
}

/** A string field of a body, or a typed error naming it. */
export function field(body: Record<string, unknown>, name: string, max = 200): string {
  const v = body[name];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw invalid('HTTP.FIELD', `${name} is required`, { field: name });
  }
  return v;
}

export function sendError(app: AppContext, res: ServerResponse, err: unknown, requestId: string) {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (!isDomainError(err)) {
    app.log.error({ err, requestId }, 'self-service request failed');
    sendJson(res, 500, {
      error: { code: 'INTERNAL', message: `Something went wrong (request ${requestId})` },
    });
    return;
  }
  const status = KIND_TO_STATUS[err.kind];
  const retry = Number(err.details?.retryAfterSeconds);
  const headers: Record<string, string> = status === 429 && retry > 0 ? { 'retry-after': String(retry) } : {};
  const f = typeof err.details?.field === 'string' ? err.details.field : undefined;
  sendJson(
    res,
    status,
    {
      error: {
        code: err.code,
        message: err.message,
        ...(f && { field: f }),
        ...(retry > 0 && { retryAfterSeconds: retry }),
      },
    },
    headers,
  );
}
