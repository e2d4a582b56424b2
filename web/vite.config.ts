// Build config: a static SPA (no SSR) written to web/build, which the Kasi server
// serves on the same origin as /trpc. In dev, Vite proxies /trpc to a local server.
import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    sveltekit({
      adapter: adapter({ fallback: 'index.html' }),
      compilerOptions: { runes: true },
      // Workbox writes build/sw.js after the Vite build (scripts/build-sw.ts); we register it ourselves.
      serviceWorker: { register: false },
    }),
  ],
  server: { proxy: { '/trpc': 'http://127.0.0.1:3000' } },
});
