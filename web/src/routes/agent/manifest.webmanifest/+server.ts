// The agent app's install manifest, written as a static file at build time. Its own id and
// start URL make it a separate app from the operator console: installed, it opens straight
// into the PIN screen, from the service worker's cache when there is no signal.
export const prerender = true;

const manifest = {
  name: 'Kasi Agent',
  short_name: 'Kasi Agent',
  description: 'Sell internet vouchers, with or without signal.',
  id: '/agent',
  start_url: '/agent',
  scope: '/agent',
  display: 'standalone',
  orientation: 'portrait',
  theme_color: '#0b4f3c',
  background_color: '#ffffff',
  icons: [
    { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
  ],
};

export function GET(): Response {
  return new Response(JSON.stringify(manifest), {
    headers: { 'content-type': 'application/manifest+json' },
  });
}
