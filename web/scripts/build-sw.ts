// Writes build/sw.js after `vite build`: Workbox precaches the app shell so the PWA opens
// offline. Only the shell is cached — /trpc and /healthz always go to the network, because
// stale API answers (a sold voucher, a deleted router) would be worse than no answer.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { generateSW } from 'workbox-build';

const buildDir = fileURLToPath(new URL('../build/', import.meta.url));

const { count, size, warnings } = await generateSW({
  globDirectory: buildDir,
  globPatterns: ['**/*.{html,js,css,webmanifest,svg,png}'],
  globIgnores: ['sw.js', 'workbox-*.js'],
  swDest: `${buildDir}sw.js`,
  // Hashed file names already change with their content; no extra revision needed.
  dontCacheBustURLsMatching: /^_app\/immutable\//,
  navigateFallback: '/index.html',
  // Pages the server renders itself (pay links, hotspot files, PDFs, CSV, webhooks, the
  // subscriber API) must reach it even on a device where the console is installed; so must
  // /my, a page of its own build (build/my/index.html), not a route of the console's app.
  navigateFallbackDenylist: [
    /^\/trpc(\/|$)/,
    /^\/healthz$/,
    /^\/my(\/|$)/,
    /^\/(p|h|hooks|api|pdf|csv|print)\//,
  ],
  skipWaiting: true,
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  inlineWorkboxRuntime: true,
  sourcemap: false,
  mode: 'production',
});

// Like the adapter's precompress for the rest of the build: the server sends these copies.
const sw = await readFile(`${buildDir}sw.js`);
await writeFile(
  `${buildDir}sw.js.br`,
  brotliCompressSync(sw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
);
await writeFile(`${buildDir}sw.js.gz`, gzipSync(sw, { level: 9 }));

for (const w of warnings) console.warn(`build-sw: ${w}`);
console.log(`build-sw: precached ${count} files (${(size / 1024).toFixed(1)} KiB) into build/sw.js`);
