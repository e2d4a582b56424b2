// Where a printed card's QR code points: the hotspot login page with the code filled in.
export type { PrintLayout } from '@kasi/domain';

/** The hotspot login page with the code filled in, as MikroTik's login form accepts it. */
export function hotspotLoginUrl(hotspotUrl: string, code: string): string {
  const url = new URL(`${hotspotUrl}/login`);
  url.searchParams.set('username', code);
  url.searchParams.set('password', code);
  return url.toString();
}
