// What "wired to Kasi" means on a MikroTik: a /radius entry pointing at radiusd with the
// NAS secret, CoA accepted on 3799, hotspot profiles and PPP using RADIUS with interim updates.
import type { DesiredRow, SnapshotRow } from '@kasi/domain';

export const WIRING_PATHS = ['/radius', '/radius/incoming', '/ip/hotspot/profile', '/ppp/aaa'] as const;
export const SINGLETON_PATHS: ReadonlySet<string> = new Set(['/radius/incoming', '/ppp/aaa']);

export interface WiringTarget {
  /** Address the router should send RADIUS to (radiusd as the router sees it). */
  radiusAddress: string;
  secret: string;
  authPort: number;
  acctPort: number;
  interim: string;
}

export function desiredWiring(snapshot: SnapshotRow[], t: WiringTarget): DesiredRow[] {
  const profiles = snapshot.filter((r) => r.path === '/ip/hotspot/profile').map((r) => r.values.name ?? '');
  return [
    {
      path: '/radius',
      match: { address: t.radiusAddress },
      values: {
        service: 'hotspot,ppp',
        'authentication-port': String(t.authPort),
        'accounting-port': String(t.acctPort),
        timeout: '3s',
        secret: t.secret,
        comment: 'kasi',
      },
      writeOnly: ['secret'],
    },
    { path: '/radius/incoming', match: null, values: { accept: 'true', port: '3799' } },
    ...profiles.map((name): DesiredRow => ({
      path: '/ip/hotspot/profile',
      match: { name },
      values: { 'use-radius': 'true', 'radius-accounting': 'true', 'radius-interim-update': t.interim },
    })),
    {
      path: '/ppp/aaa',
      match: null,
      values: { 'use-radius': 'true', accounting: 'true', 'interim-update': t.interim },
    },
  ];
}
