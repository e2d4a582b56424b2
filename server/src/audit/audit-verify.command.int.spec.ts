// `pnpm kasi audit:verify` as an operator runs it: the real CLI in a child process, writing
// rows through other commands with the same master key and head file, then tampering in SQL.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase } from '@kasi/db/testing';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;
let env: Record<string, string>;

function kasi(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['server/src/cli/main.ts', ...args],
      { cwd: ROOT, env },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      },
    );
  });
}

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
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  dataDir = await mkdtemp(join(tmpdir(), 'kasi-audit-cli-'));
  env = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: db.url,
    KASI_DATA_DIR: dataDir,
    KASI_MASTER_KEY: randomBytes(32).toString('base64'),
    KASI_LOG_LEVEL: 'silent',
  };
  await tenantWithPlans('audit-a');
  await tenantWithPlans('audit-b');
}, 60_000);

afterAll(async () => {
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('pnpm kasi audit:verify', () => {
  it('says intact and exits 0 for untouched trails, with the heads in the data directory', async () => {
    const r = await kasi('audit:verify');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^audit-a: intact \(\d+ rows; newest exported head \d+\)$/m);
    expect(r.stdout).toMatch(/^audit-b: intact/m);
    expect(await readFile(join(dataDir, 'audit-heads.log'), 'utf8')).toContain('"heads"');
  });

  it('names the first bad row and exits 65 when the newest rows were deleted', async () => {
    const [t] = await db.handle.sql<{ id: string }[]>`select id from tenants where slug = 'audit-a'`;
    await db.handle
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
