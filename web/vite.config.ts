// Build config: a static SPA (no SSR) written to web/build, which the Kasi server
// serves on the same origin as /trpc. In dev, Vite proxies /trpc to a local server.
import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';

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
  server: { proxy: { '/trpc': 'http://127.0.0.1:3000' } },
});
