// Request body limits per route. A declared Content-Length over the limit is refused
// before a byte is read; a body streamed without one is counted where it is read (tRPC's
// maxBodySize, the webhook reader) and the connection is closed on refusal, so nothing
// beyond the limit is buffered or drained.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Provider webhooks send small forms. */
export const WEBHOOK_MAX_BODY_BYTES = 64 * 1024;
/** Everything else is GET/HEAD: the PWA, the print route, health. */
const OTHER_MAX_BODY_BYTES = 16 * 1024;

export function bodyLimitFor(url: string, trpcMaxBytes: number): number {
  if (url.startsWith('/trpc/')) return trpcMaxBytes;
  if (url.startsWith('/hooks/')) return WEBHOOK_MAX_BODY_BYTES;
  return OTHER_MAX_BODY_BYTES;
}

export function refuseTooLarge(res: ServerResponse, limit: number): void {
  res.shouldKeepAlive = false;
  res
    .writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
    .end(`Request body too large (limit ${limit} bytes)`);
}

/** True when the request declares a body larger than the limit. */
export function declaresTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && !(Number(declared) <= limit);
}

/** Once the answer is out, a body still arriving is not read to the end: the socket goes. */
export function dropUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    if (!req.complete) req.socket.destroySoon();
  });
}
