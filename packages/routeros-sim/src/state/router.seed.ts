// The factory-fresh router the emulator starts as: five ethernet ports, a hotspot on ether3
// with profiles `default` and `hsprof1`, PPP profiles `default` and `default-encryption`.
import { linkPppInterfaces } from './active-sessions.ts';
import type { Row } from './menu.schema.ts';
import { RouterState } from './router.state.ts';
import type { RouterStateOptions } from './router.state.ts';

export interface SeedOptions extends RouterStateOptions {
  identity?: string;
  /** Overrides for /system/resource (board-name, architecture-name, cpu-load…). */
  resource?: Row;
}

export function createRouterState(options: SeedOptions): RouterState {
  const state = new RouterState(options);
  seedRouter(state, options);
  linkPppInterfaces(state);
  return state;
}

const silent = { silent: true };

function seedRouter(state: RouterState, options: SeedOptions): void {
  state.setSingleton('/system/identity', { name: options.identity ?? 'MikroTik' }, silent);
  if (options.resource) state.setSingleton('/system/resource', options.resource, silent);
  for (let n = 1; n <= 5; n++) {
    state.add(
      '/interface',
      {
        name: `ether${n}`,
        'default-name': `ether${n}`,
        'mac-address': `48:8F:5A:10:20:0${n}`,
        running: String(n <= 3),
      },
      silent,
    );
  }
  state.add('/ip/address', { address: '192.168.88.1/24', interface: 'ether2', comment: 'defconf' }, silent);
  state.add('/ip/address', { address: '10.5.50.1/24', interface: 'ether3' }, silent);
  state.add('/ip/hotspot/profile', { name: 'default', default: 'true' }, silent);
  state.add(
    '/ip/hotspot/profile',
    { name: 'hsprof1', 'hotspot-address': '10.5.50.1', 'html-directory': 'flash/hotspot' },
    silent,
  );
  state.add('/ip/hotspot', { name: 'hotspot1', interface: 'ether3', profile: 'hsprof1' }, silent);
  state.add('/ip/hotspot/user/profile', { name: 'default', default: 'true' }, silent);
  state.add('/ppp/profile', { name: 'default', default: 'true' }, silent);
  state.add('/ppp/profile', { name: 'default-encryption', 'use-encryption': 'yes', default: 'true' }, silent);
}
