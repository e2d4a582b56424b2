// `pnpm kasi audit:verify` as an operator runs it: the real CLI in a child process, writing
// rows through other commands with the same master key and head file, then tampering in SQL.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../testing/cli-process.ts';

let cli: CliProcess;
const kasi = (...args: string[]) => cli.run(...args);

async function tenantWithPlans(slug: string) {
  const created = await kasi(
    'tenant:create',
    '--slug',
    slug,
    '--name',
    slug,
    '--currency',
    'KES',
    '--owner-email',
    `o@${slug}.test`,
    '--owner-password',
    'correct horse battery',
  );
  expect(created, created.stderr).toMatchObject({ code: 0 });
  for (const name of ['Daily', 'Weekly']) {
    const plan = await kasi(
      'plan:create',
      '--tenant',
      slug,
      '--name',
      name,
      '--download',
      '10M',
      '--upload',
      '2M',
      '--price',
      '50.00',
    );
    expect(plan, plan.stderr).toMatchObject({ code: 0 });
  }
}

beforeAll(async () => {
  cli = await startCli({ isolated: true });
  await tenantWithPlans('audit-a');
  await tenantWithPlans('audit-b');
}, 60_000);

afterAll(() => cli?.stop());

describe('pnpm kasi audit:verify', () => {
  it('says intact and exits 0 for untouched trails, with the heads in the data directory', async () => {
    const r = await kasi('audit:verify');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^audit-a: intact \(\d+ rows; newest exported head \d+\)$/m);
    expect(r.stdout).toMatch(/^audit-b: intact/m);
    expect(await readFile(join(cli.dataDir, 'audit-heads.log'), 'utf8')).toContain('"heads"');
  });

  it('names the first bad row and exits 65 when the newest rows were deleted', async () => {
    const [t] = await cli.db.handle.sql<{ id: string }[]>`select id from tenants where slug = 'audit-a'`;
    await cli.db.handle
      .sql`delete from audit_log where tenant_id = ${t?.id ?? ''} and seq = (select max(seq) from audit_log where tenant_id = ${t?.id ?? ''})`;
    const one = await kasi('audit:verify', '--tenant', 'audit-a');
    expect(one.code).toBe(65);
    expect(one.stderr).toMatch(/audit-a: NOT intact — row seq \d+ \(gone\) truncated/);
    // By id as well as by slug; the untouched tenant stays intact.
    expect(await kasi('audit:verify', '--tenant', t?.id ?? '')).toMatchObject({ code: 65 });
    expect(await kasi('audit:verify', '--tenant', 'audit-b')).toMatchObject({ code: 0 });
    expect(await kasi('audit:verify')).toMatchObject({ code: 65 });
  });

  it('exits 66 for an unknown tenant', async () => {
    expect(await kasi('audit:verify', '--tenant', 'nobody')).toMatchObject({ code: 66 });
  });
});
