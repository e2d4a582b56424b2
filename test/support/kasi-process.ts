// Starts the real product (server + radiusd, as the run command does) against a fresh
// database on free ports, and runs the real CLI against it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { createTestDatabase } from '@kasi/db/testing';
import { appendRunLog, registerCliArgs, registerSecretsIn, runLogFile } from './run-secrets.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

export interface KasiProcess {
  baseUrl: string;
  radiusAuthPort: number;
  radiusAcctPort: number;
  metricsUrl: string;
  /** The server process (radiusd is its child). */
  pid: number;
  env: NodeJS.ProcessEnv;
  output(): string;
  cli<T = unknown>(...args: string[]): Promise<T>;
  stop(): Promise<void>;
}

async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket('udp4').bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Kasi exited early:\n${log()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Kasi did not become healthy:\n${log()}`);
}

export async function startKasi(extraEnv: NodeJS.ProcessEnv = {}): Promise<KasiProcess> {
  const db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  await db.handle.close();
  const dataDir = await mkdtemp(join(tmpdir(), 'kasi-e2e-'));
  const [httpPort, metricsPort, authPort, acctPort] = [
    await freeTcpPort(),
    await freeTcpPort(),
    await freeUdpPort(),
    await freeUdpPort(),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    KASI_DATA_DIR: dataDir,
    KASI_HTTP_PORT: String(httpPort),
    KASI_RADIUS_AUTH_PORT: String(authPort),
    KASI_RADIUS_ACCT_PORT: String(acctPort),
    KASI_RADIUS_HOST: '127.0.0.1',
    KASI_RADIUS_METRICS_PORT: String(metricsPort),
    KASI_MASTER_KEY: randomBytes(32).toString('base64'),
    KASI_DEMO: 'false',
    KASI_LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  let log = '';
  const child = spawn(process.execPath, ['server/src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The server's and radiusd's output (radiusd inherits the server's stdio) joins the run's logs.
  const runLog = runLogFile(`kasi-${child.pid ?? 0}-${randomBytes(3).toString('hex')}`);
  const collect = (d: Buffer) => {
    log += d.toString();
    appendRunLog(runLog, d.toString());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  await waitForHealth(baseUrl, child, () => log);
  // radiusd is a child of the server; it is ready when its own health endpoint answers.
  if (env.KASI_RADIUSD !== 'off') await waitForHealth(`http://127.0.0.1:${metricsPort}`, child, () => log);
  return {
    baseUrl,
    radiusAuthPort: authPort,
    radiusAcctPort: acctPort,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    pid: child.pid ?? 0,
    env,
    output: () => log,
    async cli<T>(...args: string[]) {
      registerCliArgs(args);
      const cliLog = runLogFile(`cli-${randomBytes(4).toString('hex')}`);
      try {
        const { stdout, stderr } = await run(
          process.execPath,
          ['server/src/cli/main.ts', ...args, '--json'],
          {
            cwd: ROOT,
            env,
          },
        );
        // stdout is the command's answer (a new voucher's codes are its job); stderr is its log.
        appendRunLog(cliLog, stderr);
        const answer = JSON.parse(stdout) as T;
        registerSecretsIn(answer);
        return answer;
      } catch (e) {
        appendRunLog(cliLog, String((e as { stderr?: unknown }).stderr ?? ''));
        throw e;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
