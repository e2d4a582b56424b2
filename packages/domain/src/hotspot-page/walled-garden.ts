// Which hosts a hotspot client must reach before it has logged in: Kasi's own pay page, and the
// hosts of each enabled card provider's checkout. M-Pesa needs none: the STK prompt reaches the
// phone over the mobile network, not through the hotspot. HTTPS hosts need an IP walled-garden
// entry (`/ip/hotspot/walled-garden/ip dst-host=`); the HTTP walled garden matches plain HTTP only,
// so each host gets both (docs/adr/0024).
import type { DesiredRow } from '../change-plan.ts';

export const PROVIDER_HOSTS: Readonly<Record<string, readonly string[]>> = {
  mpesa: [],
  stripe: ['checkout.stripe.com', '*.stripe.com', '*.stripe.network'],
  paypal: ['*.paypal.com', '*.paypalobjects.com'],
};

export const WALLED_GARDEN_COMMENT = 'kasi';

export function walledGardenHosts(kasiHost: string, enabledGateways: readonly string[]): string[] {
  const hosts = [kasiHost, ...enabledGateways.flatMap((g) => PROVIDER_HOSTS[g] ?? [])];
  return [...new Set(hosts)];
}

export function desiredWalledGarden(hosts: readonly string[]): DesiredRow[] {
  return hosts.flatMap((host): DesiredRow[] => [
    {
      path: '/ip/hotspot/walled-garden',
      match: { 'dst-host': host, comment: WALLED_GARDEN_COMMENT },
      values: { action: 'allow' },
    },
    {
      path: '/ip/hotspot/walled-garden/ip',
      match: { 'dst-host': host, comment: WALLED_GARDEN_COMMENT },
      values: { action: 'accept' },
    },
  ]);
}
