// Serves the built PWA. Hashed assets are immutable; the service worker and HTML are
// always revalidated so a new release reaches installed apps. Unknown paths get the
// SPA shell so deep links work.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

async function fileAt(path: string): Promise<{ path: string; size: number } | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? { path, size: s.size } : null;
  } catch {
    return null;
  }
}

/** The request path, %-decoded; null when the client sent a malformed escape. */
function decodedPath(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url, 'http://x').pathname);
  } catch {
    return null;
  }
}

export function staticFiles(root: string, fallback = 'index.html') {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = decodedPath(req.url ?? '/');
    if (pathname === null) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Malformed path');
      return;
    }
    const candidate = normalize(join(root, pathname));
    if (!candidate.startsWith(root + sep) && candidate !== root) {
      res.writeHead(400).end();
      return;
    }
    const file =
      (await fileAt(candidate)) ??
      (await fileAt(join(candidate, 'index.html'))) ??
      (await fileAt(join(root, fallback)));
    if (!file) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The web app is not built. Run `pnpm build`.');
      return;
    }
    const immutable = file.path.includes(`${sep}_app${sep}immutable${sep}`);
    res.writeHead(200, {
      'content-type': TYPES[extname(file.path)] ?? 'application/octet-stream',
      'content-length': file.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file.path).pipe(res);
  };
}
