// Build config: a static SPA (no SSR) written to web/build, which the Kasi server
// serves on the same origin as /trpc. In dev, Vite proxies /trpc to a local server.
import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * Components compiled with their CSS injected by their script (ADR 0039): the agent app's own,
 * and the few every agent screen loads besides (the root error page and its panel, which
 * SvelteKit loads on every start, and the language picker of agent setup).
 */
const STYLES_IN_SCRIPT = [
  /[\\/]src[\\/](routes[\\/]agent|lib[\\/]components[\\/]agent)[\\/]/,
  /[\\/]src[\\/]routes[\\/]\+error\.svelte$/,
  /[\\/]src[\\/]lib[\\/]components[\\/]error-panel\.svelte$/,
  /[\\/]src[\\/]lib[\\/]i18n[\\/]locale-picker\.svelte$/,
];

export default defineConfig({
  plugins: [
    // Compiles web/messages/<locale>/<area>.json into tree-shakable message functions
    // (src/lib/paraglide, generated, not committed); options in project.inlang/paraglide.config.js.
    paraglideVitePlugin({ project: './project.inlang' }),
    sveltekit({
      // precompress: a .br and a .gz beside every text file, served by the Kasi server (ADR 0028).
      adapter: adapter({ fallback: 'index.html', precompress: true }),
      compilerOptions: { runes: true, discloseVersion: false },
      // Workbox writes build/sw.js after the Vite build (scripts/build-sw.ts); we register it ourselves.
      serviceWorker: { register: false },
      // A stylesheet per component is a request of its own: on a phone's slow line the
      // requests, more than the bytes, held back the agent app's first screen (ADR 0039).
      dynamicCompileOptions: ({ filename }: { filename: string }) =>
        STYLES_IN_SCRIPT.some((r) => r.test(filename)) ? { css: 'injected' as const } : undefined,
    }),
  ],
  // No preload helper around dynamic imports (the lazily drawn plots need none) and no
  // version beacon: both count against the dashboard's 60 KB budget (issue 15). Terser
  // (two passes, ES2020 output, every browser the app supports) makes the scripts 1.5–4 %
  // smaller after gzip than Vite's default minifier (about 1 KB of the dashboard's first
  // load), for a few seconds more of build.
  build: {
    modulePreload: false,
    minify: 'terser',
    terserOptions: { ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } },
  },
  // Dexie's package entry (import-wrapper.mjs) loads its ES5 build, dist/dexie.js, to guard
  // against two copies in one Node process; a bundled app has one copy, and the ES2018 build
  // is 1.3 KB smaller after gzip on the agent app's first load (issue 15). Same version, same API.
  resolve: {
    alias: [
      {
        find: /^dexie$/,
        replacement: fileURLToPath(new URL('./node_modules/dexie/dist/modern/dexie.mjs', import.meta.url)),
      },
    ],
  },
  server: { proxy: { '/trpc': 'http://127.0.0.1:3000' } },
});
