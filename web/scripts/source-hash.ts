// The web app's inputs as one digest: its own sources, messages and config, the shared domain
// package it bundles, and the lockfile. `pnpm start` rebuilds only when this differs from the
// digest stored beside the last build (build/.source-hash), so a second start skips the build.
// Run: `node scripts/source-hash.ts --write` (after a build) or `--check` (exit 1: stale).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const root = join(web, '..');
export const HASH_FILE = join(web, 'build', '.source-hash');

const INPUTS = [
  'web/src',
  'web/static',
  'web/messages',
  'web/project.inlang',
  'web/scripts',
  'web/package.json',
  'web/vite.config.ts',
  'web/vite.my.config.ts',
  'web/my',
  'web/tsconfig.json',
  'packages/domain/src',
  'packages/domain/package.json',
  'pnpm-lock.yaml',
];
/** Generated or not part of what ships. */
const SKIP = new Set(['node_modules', 'paraglide', '.svelte-kit', 'cache']);
const isSpec = (name: string) => /\.spec\.ts$/.test(name);

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !SKIP.has(e.name) && !isSpec(e.name))
    .flatMap((e) => files(join(path, e.name)));
}

export function sourceHash(): string {
  const h = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => files(join(root, p))).sort()) {
    h.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex');
}

export function buildIsCurrent(): boolean {
  return existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8').trim() === sourceHash();
}

const mode = process.argv[2];
if (mode === '--write') writeFileSync(HASH_FILE, `${sourceHash()}\n`);
if (mode === '--check') process.exit(buildIsCurrent() ? 0 : 1);
