// The demo's live network: one emulated MikroTik (RouterOS API, plain, loopback only). Its
// password is kept in the data directory so a router onboarded in the demo still works
// after a restart.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDemoRouter, type DemoRouter } from '@kasi/routeros-sim';

export async function startDemoNetwork(dataDir: string, port: number): Promise<DemoRouter> {
  const file = join(dataDir, 'demo-router.json');
  const saved = await readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as { password: string },
    () => null,
  );
  const password = saved?.password ?? randomBytes(9).toString('base64url');
  if (!saved) await writeFile(file, JSON.stringify({ password }), { mode: 0o600 });
  return startDemoRouter({ host: '127.0.0.1', port, password });
}
