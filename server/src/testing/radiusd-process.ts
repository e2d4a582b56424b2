// The real radiusd as a child process on a test database, and Debian's radclient to log in
// to it: what a MikroTik would get back, end to end over UDP.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RADIUSD_MAIN = fileURLToPath(new URL('../../../radiusd/src/main.ts', import.meta.url));

async function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket('udp4').bind(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

export async function startRadiusd(databaseUrl: string, masterKey: Buffer) {
  const port = await freeUdpPort();
  const dataDir = await mkdtemp(join(tmpdir(), 'kasi-radiusd-'));
  const child: ChildProcess = spawn(process.execPath, [RADIUSD_MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KASI_MASTER_KEY: masterKey.toString('base64'),
      KASI_DATA_DIR: dataDir,
      KASI_RADIUS_HOST: '127.0.0.1',
      KASI_RADIUS_AUTH_PORT: String(port),
      KASI_RADIUS_ACCT_PORT: '0',
      KASI_RADIUS_METRICS_PORT: '0',
      KASI_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`radiusd did not start:\n${out}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('radiusd listening')) return;
      clearTimeout(timer);
      resolve();
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`radiusd exited:\n${out}`));
    });
  });
  return {
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RadclientReply {
  code: string | null;
  rateLimit: string | null;
  addressList: string | null;
  /** 0 when the reply carries none. */
  sessionTimeout: number;
}

/** PAP login with radclient, as a router would send it. */
export function radclientLogin(port: number, secret: string, user: string, password: string) {
  return new Promise<RadclientReply>((resolve, reject) => {
    const child = spawn('radclient', ['-x', '-r', '1', '-t', '2', `127.0.0.1:${port}`, 'auth', secret]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () =>
      resolve({
        code: /Received (\S+) Id/.exec(out)?.[1] ?? null,
        rateLimit: /Mikrotik-Rate-Limit = "([^"]*)"/.exec(out)?.[1] ?? null,
        addressList: /Mikrotik-Address-List = "([^"]*)"/.exec(out)?.[1] ?? null,
        sessionTimeout: Number(/Session-Timeout = (\d+)/.exec(out)?.[1] ?? 0),
      }),
    );
    child.stdin.end(`User-Name=${user},User-Password=${password},Message-Authenticator=0x00\n`);
  });
}
