// The subscriber CLI end to end: the real CLI as a child process on a test database.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '@kasi/db/testing';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let dir: string;
let env: NodeJS.ProcessEnv;

function kasi(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['server/src/cli/main.ts', ...args],
      { cwd: ROOT, env },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}
const T = ['--tenant', 'cli-subs'];

beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  dir = await mkdtemp(join(tmpdir(), 'kasi-cli-subs-'));
  env = {
    ...process.env,
    DATABASE_URL: db.url,
    KASI_DATA_DIR: dir,
    KASI_MASTER_KEY: randomBytes(32).toString('base64'),
    KASI_LOG_LEVEL: 'silent',
  };
  const setup = [
    ['tenant:create', '--slug', 'cli-subs', '--name', 'Subs', '--currency', 'KES'],
    ['--owner-email', 'o@subs.test', '--owner-password', 'correct horse battery'],
  ].flat();
  expect(await kasi(...setup)).toMatchObject({ code: 0 });
  const plan = [
    'plan:create',
    ...T,
    '--name',
    'Home 10M',
    '--download',
    '10M',
    '--upload',
    '2M',
    '--price',
    '1500',
  ];
  expect(await kasi(...plan)).toMatchObject({ code: 0 });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

describe('subscriber CLI', () => {
  it('adds by plan name, imports (dry run, refusal, commit), lists, suspends, resumes and exports', async () => {
    const added = await kasi('subscriber:add', ...T, '--username', 'amina', '--plan', 'home 10m');
    expect(added.stdout).toMatch(/Added subscriber amina\. Password \(shown once\): \S{10}/);
    expect(await kasi('subscriber:add', ...T, '--username', 'x', '--plan', 'Gold')).toMatchObject({
      code: 66,
    });

    const file = join(dir, 'subs.csv');
    await writeFile(file, 'Login,Package,Mobile,Extra\nbaraka,Home 10M,+254700000001,a\nAMINA,Home 10M,,b\n');
    const dry = await kasi('subscriber:import', ...T, '--file', file, '--dry-run');
    expect(dry.stdout).toContain('Dry run: 1 rows would be imported, 1 refused. Nothing written.');
    expect(dry.stdout).toContain('row 3, username: The user name "AMINA" is taken');
    const refused = await kasi('subscriber:import', ...T, '--file', file);
    expect(refused).toMatchObject({ code: 65 });
    expect(refused.stderr).toContain('Row 3, username');
    await writeFile(file, 'Login,Package,Mobile,Extra\nbaraka,Home 10M,+254700000001,a\nchege,Home 10M,,b\n');
    const done = await kasi(
      'subscriber:import',
      ...T,
      '--file',
      file,
      '--map',
      'Login=username,Package=plan,Extra=tags',
    );
    expect(done.stdout, done.stderr).toContain('Imported 2 subscribers.');
    expect(done.stdout).toMatch(/baraka\t\S{10}/);

    const list = await kasi('subscriber:list', ...T, '--tag', 'b', '--json');
    expect(
      JSON.parse(list.stdout).map((r: { subscriber: { username: string } }) => r.subscriber.username),
    ).toEqual(['chege']);
    expect((await kasi('subscriber:suspend', ...T, '--username', 'chege', '--reason', 'unpaid')).stdout).toBe(
      'chege is suspended. No live sessions.\n',
    );
    expect((await kasi('subscriber:list', ...T, '--status', 'suspended')).stdout).toContain(
      'chege\tsuspended (unpaid)',
    );
    expect((await kasi('subscriber:resume', ...T, '--username', 'chege')).stdout).toContain(
      'chege is active.',
    );
    const out = join(dir, 'out.csv');
    expect((await kasi('subscriber:export', ...T, '--file', out)).stdout).toBe(
      `Wrote 3 subscribers to ${out}.\n`,
    );
    const csv = await readFile(out, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^username,plan,service,status/);
    expect(csv).toContain('baraka,Home 10M');
  }, 120_000);
});
