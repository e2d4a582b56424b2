// The subscriber CLI end to end: the real CLI as a child process on a test database.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../testing/cli-process.ts';
let cli: CliProcess;
const kasi = (...args: string[]) => cli.run(...args);
const T = ['--tenant', 'cli-subs'];

beforeAll(async () => {
  cli = await startCli();
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
afterAll(() => cli?.stop());

describe('subscriber CLI', () => {
  it('adds by plan name, imports (dry run, refusal, commit), lists, suspends, resumes and exports', async () => {
    const added = await kasi('subscriber:add', ...T, '--username', 'amina', '--plan', 'home 10m');
    expect(added.stdout).toMatch(/Added subscriber amina\. Password \(shown once\): \S{10}/);
    expect(await kasi('subscriber:add', ...T, '--username', 'x', '--plan', 'Gold')).toMatchObject({
      code: 66,
    });

    const file = join(cli.dataDir, 'subs.csv');
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
    const out = join(cli.dataDir, 'out.csv');
    expect((await kasi('subscriber:export', ...T, '--file', out)).stdout).toBe(
      `Wrote 3 subscribers to ${out}.\n`,
    );
    const csv = await readFile(out, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^username,plan,service,status/);
    expect(csv).toContain('baraka,Home 10M');
  }, 120_000);
});
