// Fails when the Drizzle schema and the committed migrations disagree: it generates
// into a scratch copy of the migrations folder and expects drizzle-kit to find nothing new.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const scratch = await mkdtemp(join(tmpdir(), 'kasi-migrations-'));
try {
  await cp('migrations', scratch, { recursive: true });
  const before = (await readdir(scratch)).length;
  // drizzle-kit exits 0 even when it crashes, so read what it says as well as what it writes.
  const run = spawnSync('drizzle-kit', ['generate'], { env: { ...process.env, DRIZZLE_OUT: scratch }, encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  const after = (await readdir(scratch)).length;
  if (!output.includes('No schema changes')) {
    console.error(`drizzle-kit did not confirm the schema is unchanged:\n${output}`);
    process.exit(1);
  }
  if (after !== before) {
    console.error('Schema and migrations disagree: run `pnpm db:generate` and commit the new migration.');
    process.exit(1);
  }
  console.log('Schema and migrations agree.');
} finally {
  await rm(scratch, { recursive: true, force: true });
}
