// Registers the Workbox service worker that `pnpm build` writes to /sw.js. Only in
// production builds: in `vite dev` there is no sw.js, and a cached shell would hide edits.
import { dev } from '$app/env';

export function registerServiceWorker(): void {
  if (dev || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').catch((e: unknown) => {
    // The app works without it (just not offline), so a failure is logged, not shown.
    console.warn('Service worker registration failed', e);
  });
}
