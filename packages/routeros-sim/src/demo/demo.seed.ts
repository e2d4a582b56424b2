// What a new user sees on the demo router: a RADIUS-backed hotspot with a few vouchers in
// use and two PPPoE subscribers, enough for every screen to have live data.
import type { RouterOsSim } from '../api/api.server.ts';

const silent = { silent: true };

export function seedDemo(sim: RouterOsSim): void {
  const { state, subscribers } = sim;
  state.add('/radius', { service: 'hotspot,ppp', address: '127.0.0.1', secret: 'demo-secret' }, silent);
  state.setSingleton('/radius/incoming', { accept: 'true' }, silent);
  state.setSingleton('/ppp/aaa', { 'use-radius': 'true', 'interim-update': '5m' }, silent);
  const hsprof1 = state.table('/ip/hotspot/profile').findByName('hsprof1')?.['.id'];
  if (hsprof1) {
    state.update(
      '/ip/hotspot/profile',
      hsprof1,
      { 'use-radius': 'true', 'radius-interim-update': '5m' },
      silent,
    );
  }
  state.add('/ip/firewall/address-list', { list: 'walled-garden', address: '10.5.50.0/24' }, silent);
  state.add('/ppp/secret', { name: 'amina', password: 'amina-pass', service: 'pppoe' }, silent);
  state.add('/ppp/secret', { name: 'baraka', password: 'baraka-pass', service: 'pppoe' }, silent);
  const vouchers = [
    { user: 'KX7-42QF', address: '10.5.50.21', macAddress: 'A4:5E:60:11:22:01', uptimeSeconds: 1520 },
    { user: 'KX7-9TZ3', address: '10.5.50.34', macAddress: 'A4:5E:60:11:22:02', uptimeSeconds: 310 },
    { user: 'KX7-M2P8', address: '10.5.50.47', macAddress: 'F0:18:98:3C:4D:03', uptimeSeconds: 4411 },
  ];
  for (const v of vouchers) {
    subscribers.connectHotspot({ ...v, radius: true, bytesIn: 2_000_000, bytesOut: 25_000_000 });
  }
  subscribers.connectPpp({
    name: 'amina',
    address: '10.10.0.12',
    callerId: '64:D1:54:AA:00:12',
    uptimeSeconds: 86_400,
  });
  subscribers.connectPpp({
    name: 'baraka',
    address: '10.10.0.13',
    callerId: '64:D1:54:AA:00:13',
    uptimeSeconds: 7_260,
  });
}
