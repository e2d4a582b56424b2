// Runs last in `pnpm build`: every .gz copy of the build (the adapter's precompress, the
// service worker's, /my's) is written again with Zopfli, a gzip encoder that searches harder
// for the same format: any gzip reader opens it, and it is 3–5 % smaller than zlib at level
// 9. Browsers that take brotli get the .br copies; the rest (and the 60 KB dashboard budget of
// issue 15, counted in gzip) get these. ADR 0039.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipAsync } from '@gfx/zopfli';

const buildDir = fileURLToPath(new URL('../build/', import.meta.url));
/** Zopfli's passes over each block; more give little and take much longer (15 is its default). */
const ITERATIONS = 15;

async function* gzFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* gzFiles(path);
    else if (entry.name.endsWith('.gz')) yield path;
  }
}

const started = Date.now();
let files = 0;
let before = 0;
let after = 0;
for await (const gz of gzFiles(buildDir)) {
  const source = gz.slice(0, -'.gz'.length);
  const original = await stat(source).catch(() => null);
  if (!original?.isFile()) continue;
  const current = (await stat(gz)).size;
  const smaller = await gzipAsync(await readFile(source), { numiterations: ITERATIONS });
  files += 1;
  before += current;
  // Never larger than what was there (zlib wins now and then on tiny files).
  if (smaller.length < current) await writeFile(gz, smaller);
  after += Math.min(smaller.length, current);
}
console.log(
  `zopfli: ${files} .gz files, ${(before / 1024).toFixed(1)} → ${(after / 1024).toFixed(1)} KiB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
