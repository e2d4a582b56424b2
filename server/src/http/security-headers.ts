// Response headers every answer carries. The Content-Security-Policy allows scripts from
// our origin plus, by SHA-256 hash, the inline bootstrap scripts the SvelteKit build puts
// in its HTML — no 'unsafe-inline' for scripts. The hashes are read from the built HTML
// when the server starts (a rebuilt app needs a restart, as it does anyway for new assets).
// Styles keep 'unsafe-inline': Svelte writes style attributes, and styles do not run code.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
}

/** The HTML pages of the build (root and a few levels of route folders; hashed assets skipped). */
function builtHtml(dir: string, depth = 0): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // not built: nothing inline to allow
  }
  return entries.flatMap((e) => {
    if (e.isFile() && e.name.endsWith('.html')) return [readFileSync(join(dir, e.name), 'utf8')];
    if (e.isDirectory() && depth < 3 && !/^[._]/.test(e.name)) return builtHtml(join(dir, e.name), depth + 1);
    return [];
  });
}

export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  return [
    "default-src 'self'",
    `script-src ${["'self'", ...new Set(scriptHashes)].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(opts: { webDir: string; publicUrl: string }): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(builtHtml(opts.webDir).flatMap(inlineScriptHashes)),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
  // Only when users reach us over HTTPS: HSTS on a plain-HTTP install would lock browsers out.
  if (opts.publicUrl.startsWith('https:')) headers['strict-transport-security'] = 'max-age=31536000';
  return headers;
}
