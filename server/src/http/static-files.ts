// Serves the built PWA. Hashed assets are immutable; the service worker and HTML are
// always revalidated so a new release reaches installed apps. Unknown paths get the
// SPA shell so deep links work. Text files are sent as the brotli or gzip copy the build
// wrote beside them (`precompress`), when the client accepts it: nothing is compressed
// per request (ADR 0028).
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

/** Encodings the build writes beside a text file, best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt']);

/**
 * The encodings a client accepts, from its Accept-Encoding header (RFC 9110 §12.5.3):
 * `q=0` refuses one; `*` stands for the ones not named.
 */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  if (!header) return accepted;
  const refused = new Set<string>();
  let star = false;
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.trim().split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const ok = Number.isFinite(weight) && weight > 0;
    if (name === '*') star = ok;
    else if (ok) accepted.add(name);
    else refused.add(name);
  }
  if (star) for (const e of ENCODINGS) if (!refused.has(e.name)) accepted.add(e.name);
  return accepted;
}

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
    const ext = extname(file.path);
    const headers: Record<string, string | number> = {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    let body = file;
    if (COMPRESSIBLE.has(ext)) {
      headers.vary = 'Accept-Encoding';
      const accepted = acceptedEncodings(req.headers['accept-encoding']);
      for (const e of ENCODINGS) {
        if (!accepted.has(e.name)) continue;
        const copy = await fileAt(file.path + e.suffix);
        if (!copy) continue;
        headers['content-encoding'] = e.name;
        body = copy;
        break;
      }
    }
    headers['content-length'] = body.size;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(body.path).pipe(res);
  };
}
