// Fails when the Drizzle schema and the committed migrations disagree: it generates
// into a scratch copy of the migrations folder and expects drizzle-kit to find nothing new.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';

// drizzle-kit treats `out` as relative to the package, so the scratch copy lives here too.
const scratch = await mkdtemp('.migrations-check-');
try {
  await cp('migrations', scratch, { recursive: true });
  const before = (await readdir(scratch)).length;
  // drizzle-kit exits 0 even when it crashes, so read what it says as well as what it writes.
  const run = spawnSync('drizzle-kit', ['generate'], {
    env: { ...process.env, DRIZZLE_OUT: scratch },
    encoding: 'utf8',
  });
  const output = `${run.stdout}${run.stderr}`;
  const after = (await readdir(scratch)).length;
  if (!output.includes('No schema changes')) {
    console.error(`Schema and migrations disagree (run \`pnpm db:generate\` and commit):\n${output}`);
    process.exitCode = 1;
  } else if (after !== before) {
    console.error('Schema and migrations disagree: run `pnpm db:generate` and commit the new migration.');
    process.exitCode = 1;
  } else {
    console.log('Schema and migrations agree.');
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
