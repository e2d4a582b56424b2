// Writes build/sw.js after `vite build`: Workbox precaches the app shell so the PWA opens
// offline. Only the shell is cached — /trpc and /healthz always go to the network, because
// stale API answers (a sold voucher, a deleted router) would be worse than no answer.
import { fileURLToPath } from 'node:url';
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
  navigateFallbackDenylist: [/^\/trpc(\/|$)/, /^\/healthz$/],
  skipWaiting: true,
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  inlineWorkboxRuntime: true,
  sourcemap: false,
  mode: 'production',
});

for (const w of warnings) console.warn(`build-sw: ${w}`);
console.log(`build-sw: precached ${count} files (${(size / 1024).toFixed(1)} KiB) into build/sw.js`);
