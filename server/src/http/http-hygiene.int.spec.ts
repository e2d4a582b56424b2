// The HTTP edge over real sockets on a real database: client mistakes are 400s with a
// typed error (never 500s logged as unexpected), bodies are limited per route, and every
// answer carries the security headers.
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import superjson from 'superjson';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createHttpServer } from './http-server.ts';
import { login } from '../auth/auth.service.ts';

const BOOTSTRAP = '\n  window.kasiBooted = true;\n';
const webDir = mkdtempSync(join(tmpdir(), 'kasi-web-'));
mkdirSync(join(webDir, 'agent'));
writeFileSync(
  join(webDir, 'index.html'),
  `<!doctype html><html><body><script>${BOOTSTRAP}</script></body></html>`,
);
writeFileSync(join(webDir, 'agent', 'index.html'), '<!doctype html><html><body>agent</body></html>');
writeFileSync(join(webDir, 'app.js'), 'console.log(1)');

let t: TestApp;
let server: Server;
let base: string;
let logged: Array<{ level: number; msg: string }> = [];
let cookie: string;

beforeAll(async () => {
  t = await createTestApp();
  const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  server = createHttpServer({ ...t.app, log }, webDir);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const owner = await t.newTenant();
  const { token } = await login(t.app, {
    email: owner.ownerEmail,
    password: owner.ownerPassword,
    ip: '127.0.0.1',
    userAgent: null,
  });
  cookie = `kasi_session=${token}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});
beforeEach(() => {
  logged = [];
});

const errorLogs = () => logged.filter((l) => l.level >= 50);

const postRaw = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...headers },
    body,
  });

const plan = (over: Record<string, unknown> = {}) => ({
  name: `Day ${Math.random()}`,
  downloadBps: 5_000_000,
  uploadBps: 1_000_000,
  validitySeconds: 86_400,
  priceMinor: 5000n,
  currency: 'KES',
  ...over,
});

async function expectClientError(res: Response) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as {
    error: { json: { data: { code: string; domain: { code: string } | null } } };
  };
  expect(body.error.json.data.code).toBe('BAD_REQUEST');
  expect(body.error.json.data.domain?.code).toMatch(/^[A-Z]+\.[A-Z_]+$/);
  expect(errorLogs()).toEqual([]);
}

describe('client mistakes are 400s', () => {
  it('answers malformed JSON with 400', async () => {
    await expectClientError(await postRaw('plan.create', '{"json": {"name": '));
  });

  it('answers a NUL byte in a string with 400', async () => {
    const res = await postRaw(
      'plan.create',
      JSON.stringify(superjson.serialize(plan({ name: 'Day\u0000pass' }))),
    );
    await expectClientError(res);
  });

  it('answers a price beyond a 64-bit integer with 400', async () => {
    const res = await postRaw(
      'plan.create',
      JSON.stringify(superjson.serialize(plan({ priceMinor: 2n ** 63n }))),
    );
    await expectClientError(res);
  });

  it('answers deeply nested superjson meta with 400', async () => {
    const deep = '{"a":'.repeat(50_000) + '["bigint"]' + '}'.repeat(50_000);
    await expectClientError(await postRaw('plan.create', `{"json":{"a":"1"},"meta":{"values":${deep}}}`));
  });

  it('answers an unknown superjson transformation with 400', async () => {
    await expectClientError(
      await postRaw('plan.create', '{"json":{"name":"x"},"meta":{"values":{"name":["bogus"]}}}'),
    );
  });

  it('answers a malformed % in the session cookie with 400 and clears the cookie', async () => {
    const res = await fetch(`${base}/trpc/auth.me`, { headers: { cookie: 'kasi_session=%E0%A4%A' } });
    await expectClientError(res);
    expect(res.headers.get('set-cookie')).toMatch(/^kasi_session=;.*Max-Age=0/);
  });

  it('answers a malformed % in a path with 400', async () => {
    const res = await fetch(`${base}/vouchers/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(errorLogs()).toEqual([]);
  });

  it('still creates a plan from well-formed input', async () => {
    const res = await postRaw('plan.create', JSON.stringify(superjson.serialize(plan())));
    expect(res.status).toBe(200);
  });
});

/** Streams up to `total` bytes; stops writing as soon as the server answers. */
function streamBody(path: string, total: number, opts: { chunked?: boolean } = {}) {
  return new Promise<{ status: number; written: number }>((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.chunked ? {} : { 'content-length': String(total) }),
      },
    });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, written });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('body limits', () => {
  it('refuses a 100 MB /trpc body with 413 without reading it', async () => {
    const { status, written } = await streamBody('/trpc/auth.login', 100 * 1024 * 1024);
    expect(status).toBe(413);
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  it('refuses a chunked /trpc body past the limit with 413', async () => {
    const { status, written } = await streamBody('/trpc/auth.login', 100 * 1024 * 1024, { chunked: true });
    expect(status).toBe(413);
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  it('refuses a large webhook body up front', async () => {
    const { status } = await streamBody('/hooks/twilio/status', 10 * 1024 * 1024);
    expect(status).toBe(413);
  });
});

describe('security headers', () => {
  it('serves the app with a CSP that allows its own bootstrap script by hash, not unsafe-inline', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const hash = createHash('sha256').update(BOOTSTRAP).digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(csp).toMatch(/script-src [^;]*'self'/);
    expect(csp).not.toMatch(/script-src [^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const api = await fetch(`${base}/trpc/auth.me`);
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('sends HSTS only when the public URL is https', async () => {
    const https = createHttpServer(t.app, webDir, {}, { publicUrl: 'https://kasi.example' });
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(https.address() as AddressInfo).port}/`);
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    } finally {
      await new Promise((r) => https.close(r));
    }
  });
});
