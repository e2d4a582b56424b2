import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createAuditHeadExport } from './audit-head-export.ts';
import { readTenantHeads } from './audit-head-file.ts';

const log = createLogger('silent', 'test');
const A = '0198c0de-0000-7000-8000-00000000000a';
const B = '0198c0de-0000-7000-8000-00000000000b';
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function tempFile() {
  const dir = await mkdtemp(join(tmpdir(), 'kasi-heads-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'nested', 'audit-heads.log');
}

function webhook(): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(body));
      res.end();
    });
  });
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/heads`,
        bodies,
      });
    }),
  );
}

describe('audit head export', () => {
  it('appends one line per batch and reads back each tenant’s heads', async () => {
    const file = await tempFile();
    const exporter = createAuditHeadExport({ file, webhookUrl: null, log });
    await exporter.exportHeads([{ tenantId: A, seq: 1n, hash: 'a1' }]);
    await exporter.exportHeads([
      { tenantId: A, seq: 3n, hash: 'a3' },
      { tenantId: B, seq: 1n, hash: 'b1' },
    ]);
    await exporter.close();
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2);
    const a = await readTenantHeads(file, A);
    expect(a).toMatchObject({ fileFound: true, unreadableLines: 0 });
    expect([...a.heads]).toEqual([
      [1n, 'a1'],
      [3n, 'a3'],
    ]);
    expect([...(await readTenantHeads(file, B)).heads]).toEqual([[1n, 'b1']]);
  });

  it('reads a missing file as no heads, and skips a line cut short by a crash', async () => {
    const file = await tempFile();
    expect(await readTenantHeads(file, A)).toMatchObject({ fileFound: false, heads: new Map() });
    const exporter = createAuditHeadExport({ file, webhookUrl: null, log });
    await exporter.exportHeads([{ tenantId: A, seq: 1n, hash: 'a1' }]);
    await exporter.close();
    const { appendFile } = await import('node:fs/promises');
    await appendFile(file, `{"at":"x","heads":[{"tenantId":"${A}","seq":"2"`);
    expect(await readTenantHeads(file, A)).toMatchObject({
      unreadableLines: 1,
      heads: new Map([[1n, 'a1']]),
    });
  });

  it('posts the newest head per tenant to the webhook, and survives one that is down', async () => {
    const hook = await webhook();
    const exporter = createAuditHeadExport({ file: await tempFile(), webhookUrl: hook.url, log });
    await exporter.exportHeads([{ tenantId: A, seq: 1n, hash: 'a1' }]);
    await exporter.exportHeads([{ tenantId: A, seq: 2n, hash: 'a2' }]);
    await exporter.close();
    const posted = hook.bodies.flatMap((b) => (b as { heads: { seq: string }[] }).heads.map((h) => h.seq));
    expect(posted.at(-1)).toBe('2');

    const down = createAuditHeadExport({
      file: await tempFile(),
      webhookUrl: 'http://127.0.0.1:9/heads',
      log,
    });
    await expect(down.exportHeads([{ tenantId: A, seq: 1n, hash: 'a1' }])).resolves.toBeUndefined();
    await down.close();
  });
});
