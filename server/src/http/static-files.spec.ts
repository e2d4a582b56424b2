import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedEncodings, staticFiles } from './static-files.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let root: string;
let server: Server;
let base: string;
const script = 'export const answer = 42;\n'.repeat(200);
const shell = '<!doctype html><title>Kasi</title>'.repeat(20);

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kasi-static-'));
  const immutable = join(root, '_app', 'immutable');
  await mkdir(immutable, { recursive: true });
  await writeFile(join(immutable, 'app.js'), script);
  await writeFile(join(immutable, 'app.js.br'), brotliCompressSync(script));
  await writeFile(join(immutable, 'app.js.gz'), gzipSync(script));
  await writeFile(join(root, 'index.html'), shell);
  await writeFile(join(root, 'index.html.gz'), gzipSync(shell));
  await writeFile(join(root, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(join(root, 'icon.png.gz'), gzipSync(Buffer.from('not for images')));
  const serve = staticFiles(root);
  server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  await rm(root, { recursive: true, force: true });
});

describe('precompressed static files', () => {
  it('sends the brotli copy when the client accepts br, and it decodes to the file', async () => {
    const r = await get('/_app/immutable/app.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers.vary).toBe('Accept-Encoding');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(r.body).toString()).toBe(script);
  });

  it('falls back to gzip, then to the plain file', async () => {
    const gz = await get('/_app/immutable/app.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);

    const plain = await get('/_app/immutable/app.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('honours q=0 and the wildcard', async () => {
    const noBr = await get('/_app/immutable/app.js', { 'accept-encoding': 'br;q=0, *' });
    expect(noBr.headers['content-encoding']).toBe('gzip');
    const none = await get('/_app/immutable/app.js', { 'accept-encoding': 'identity, *;q=0' });
    expect(none.headers['content-encoding']).toBeUndefined();
  });

  it('uses the copy that exists: the SPA shell has only gzip and is revalidated', async () => {
    const r = await get('/subscribers/abc', { 'accept-encoding': 'br, gzip' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(r.body).toString()).toBe(shell);
  });

  it('never sends a compressed copy of an image', async () => {
    const r = await get('/icon.png', { 'accept-encoding': 'gzip' });
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers.vary).toBeUndefined();
    expect([...r.body]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('answers HEAD with the length of what GET would send', async () => {
    const r = await get('/_app/immutable/app.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(r.body.length).toBe(0);
    expect(Number(r.headers['content-length'])).toBe(brotliCompressSync(script).length);
  });
});

describe('acceptedEncodings', () => {
  it('reads names, weights and the wildcard', () => {
    expect([...acceptedEncodings('gzip;q=0.5, br')].sort()).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings('br;q=0')]).toEqual([]);
    expect([...acceptedEncodings('*;q=0.1, gzip;q=0')]).toEqual(['br']);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
    expect([...acceptedEncodings('gzip;q=abc')]).toEqual([]);
  });
});
