// The demo's live network: one emulated MikroTik (RouterOS API, plain, loopback only). Its
// password is kept in the data directory so a router onboarded in the demo still works
// after a restart, and shown only by the start that made it (like the admin's password).
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDemoRouter, type DemoRouter } from '@kasi/routeros-sim';

export interface DemoNetwork {
  router: DemoRouter;
  /** Where the router's password is kept (0600). */
  passwordFile: string;
  /** True only on the start that made the password. */
  created: boolean;
}

export async function startDemoNetwork(dataDir: string, port: number): Promise<DemoNetwork> {
  const passwordFile = join(dataDir, 'demo-router.json');
  const saved = await readFile(passwordFile, 'utf8').then(
    (t) => JSON.parse(t) as { password: string },
    () => null,
  );
  const password = saved?.password ?? randomBytes(9).toString('base64url');
  if (!saved) await writeFile(passwordFile, JSON.stringify({ password }), { mode: 0o600 });
  const router = await startDemoRouter({ host: '127.0.0.1', port, password });
  return { router, passwordFile, created: !saved };
}

/** The console line about the demo router: the password only when this start made it. */
export function demoRouterBanner({ router, passwordFile, created }: DemoNetwork): string {
  const { user, password } = router.credentials;
  const where = `Demo router RouterOS API at 127.0.0.1:${router.port} (plain, allow the unencrypted API), user ${user}`;
  return created
    ? `  ${where}, password ${password}\n  (shown only once; it is kept in ${passwordFile})\n\n`
    : `  ${where}, password in ${passwordFile}\n\n`;
}
