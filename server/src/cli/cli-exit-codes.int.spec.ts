// The CLI's exit codes are its contract with scripts (README: 64 usage, 65 invalid,
// 66 not found, 67 conflict): run the real CLI as a child process and read them.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../testing/cli-process.ts';

let cli: CliProcess;
const kasi = (...args: string[]) => cli.run(...args);
/** A run with settings changed; an undefined value unsets one. */
const run = (env: NodeJS.ProcessEnv, args: string[]) => cli.runWith({ env, args });

beforeAll(async () => {
  cli = await startCli();
  const created = await kasi(
    'tenant:create',
    '--slug',
    'cli-exit',
    '--name',
    'CLI exit codes',
    '--currency',
    'KES',
    '--owner-email',
    'owner@cli.test',
    '--owner-password',
    'correct horse battery',
  );
  expect(created, created.stderr).toMatchObject({ code: 0 });
});

afterAll(() => cli?.stop());

describe('CLI exit codes (DATABASE_URL set)', () => {
  it('exits 0 on success', async () => {
    const r = await kasi('nas:add', '--tenant', 'cli-exit', '--name', 'tower-1', '--address', '10.9.0.1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Added router tower-1');
  });

  it('exits 67 when an address is already registered', async () => {
    const r = await kasi('nas:add', '--tenant', 'cli-exit', '--name', 'tower-2', '--address', '10.9.0.1');
    expect(r.stderr).toContain('NAS.ADDRESS_TAKEN');
    expect(r.code).toBe(67);
  });

  it('exits 66 when leasing to an unknown device', async () => {
    const r = await kasi(
      'lease:create',
      '--tenant',
      'cli-exit',
      '--device',
      randomUUID(),
      '--plan',
      randomUUID(),
      '--count',
      '5',
    );
    expect(r.stderr).toContain('NOT_FOUND');
    expect(r.code).toBe(66);
  });

  it('exits 65 on invalid input and 64 on a usage mistake', async () => {
    expect((await kasi('nas:add', '--tenant', 'cli-exit', '--name', 'x', '--address', 'nope')).code).toBe(65);
    expect((await kasi('nas:add', '--no-such-option')).code).toBe(64);
  });

  it('sets router address ranges, refusing a malformed one with 65', async () => {
    const bad = await kasi('router:allow-cidrs', '--tenant', 'cli-exit', '--cidrs', '10.0.0.1/8');
    expect(bad.stderr).toContain('ROUTER.BAD_CIDR');
    expect(bad.code).toBe(65);
    const ok = await kasi('router:allow-cidrs', '--tenant', 'cli-exit', '--cidrs', '10.20.0.0/16, 127.0.0.1');
    expect(ok.stdout).toContain('10.20.0.0/16, 127.0.0.1/32');
    expect(ok.code).toBe(0);
    const reset = await kasi('router:allow-cidrs', '--tenant', 'cli-exit', '--cidrs', '');
    expect(reset.stdout).toContain('default rule');
  });
});

describe('CLI exit codes (no database)', () => {
  it('exits 69 when the database cannot be reached, and 78 on a bad setting', async () => {
    const down = await run({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }, ['migrate']);
    expect(down.stderr).toMatch(/^error: cannot reach the database: .*ECONNREFUSED/);
    expect(down.code).toBe(69);
    const bad = await run({ KASI_HTTP_PORT: 'eighty' }, ['migrate']);
    expect(bad.stderr).toContain('KASI_HTTP_PORT');
    expect(bad.code).toBe(78);
  });
});

describe('CLI exit codes (embedded PostgreSQL)', () => {
  it('exits 66 for an unknown tenant after starting and stopping its own database', async () => {
    // Its own temporary directory: run as root, the cluster's parent must be traversable.
    const pgDataDir = await mkdtemp(join(tmpdir(), 'kasi-cli-pg-'));
    const args = ['nas:add', '--tenant', 'nobody', '--name', 'x', '--address', '10.9.0.2'];
    const r = await run(
      {
        DATABASE_URL: undefined,
        KASI_DATA_DIR: pgDataDir,
        KASI_EMBEDDED_PG_PORT: String(20000 + Math.floor(Math.random() * 20000)),
      },
      args,
    );
    await rm(pgDataDir, { recursive: true, force: true });
    expect(r.stderr).toContain('TENANT.NOT_FOUND');
    expect(r.code).toBe(66);
  }, 120_000);
});
