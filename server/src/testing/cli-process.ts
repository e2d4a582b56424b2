// The real CLI as scripts and operators run it: `node server/src/cli/main.ts` in a child
// process against a fresh test database, with its own data directory and master key, judged
// by its exit code and output (the exit codes are the CLI's contract, so nothing is mocked).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { createTestDatabase } from '@kasi/db/testing';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliOutcome {
  /** The exit code; null when the process was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  dataDir: string;
  /** `pnpm kasi <args>`; resolves whatever the exit code. */
  run(...args: string[]): Promise<CliOutcome>;
  /** The same with settings changed for this run; an undefined value unsets the setting. */
  runWith(o: { env: NodeJS.ProcessEnv; args: string[] }): Promise<CliOutcome>;
  stop(): Promise<void>;
}

export interface CliSetup {
  /** Extra settings for every run (e.g. KASI_PUBLIC_URL). */
  env?: NodeJS.ProcessEnv;
  /** Pass only PATH from the test's own environment, so no stray KASI_* setting reaches the CLI. */
  isolated?: boolean;
}

export async function startCli(o: CliSetup = {}): Promise<CliProcess> {
  const db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  const dataDir = await mkdtemp(join(tmpdir(), 'kasi-cli-'));
  const env: NodeJS.ProcessEnv = {
    ...(o.isolated ? { PATH: process.env.PATH ?? '' } : process.env),
    DATABASE_URL: db.url,
    KASI_DATA_DIR: dataDir,
    KASI_MASTER_KEY: randomBytes(32).toString('base64'),
    KASI_LOG_LEVEL: 'silent',
    ...o.env,
  };
  const runWith = (r: { env: NodeJS.ProcessEnv; args: string[] }) =>
    new Promise<CliOutcome>((resolve) => {
      const childEnv = Object.fromEntries(
        Object.entries({ ...env, ...r.env }).filter(([, v]) => v !== undefined),
      );
      execFile(
        process.execPath,
        ['server/src/cli/main.ts', ...r.args],
        { cwd: ROOT, env: childEnv },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  return {
    db,
    dataDir,
    run: (...args) => runWith({ env: {}, args }),
    runWith,
    async stop() {
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
