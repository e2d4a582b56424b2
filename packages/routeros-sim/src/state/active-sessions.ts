// Test and demo helpers for the rows RouterOS creates itself when a subscriber connects:
// /ip/hotspot/active entries and /ppp/active entries with their dynamic <pppoe-…> interface.
import type { Row } from './menu.schema.ts';
import type { RouterState } from './router.state.ts';
import { formatDuration } from './value.format.ts';

export interface HotspotSessionInput {
  user: string;
  address: string;
  macAddress: string;
  server?: string;
  loginBy?: string;
  radius?: boolean;
  uptimeSeconds?: number;
  bytesIn?: number;
  bytesOut?: number;
}

export interface PppSessionInput {
  name: string;
  address: string;
  callerId?: string;
  service?: string;
  radius?: boolean;
  uptimeSeconds?: number;
}

let sessionCounter = 0x81a00000;

export function addHotspotSession(state: RouterState, input: HotspotSessionInput): Row {
  return state.add('/ip/hotspot/active', {
    server: input.server ?? 'hotspot1',
    user: input.user,
    address: input.address,
    'mac-address': input.macAddress,
    'login-by': input.loginBy ?? 'http-chap',
    uptime: formatDuration(input.uptimeSeconds ?? 0),
    'bytes-in': String(input.bytesIn ?? 0),
    'bytes-out': String(input.bytesOut ?? 0),
    radius: String(input.radius ?? false),
  });
}

export function addPppSession(state: RouterState, input: PppSessionInput): Row {
  const service = input.service ?? 'pppoe';
  sessionCounter += 1;
  const row = state.add('/ppp/active', {
    name: input.name,
    service,
    'caller-id': input.callerId ?? '',
    address: input.address,
    uptime: formatDuration(input.uptimeSeconds ?? 0),
    'session-id': `0x${sessionCounter.toString(16).toUpperCase()}`,
    radius: String(input.radius ?? false),
  });
  state.add('/interface', {
    name: pppInterfaceName(service, input.name),
    type: `${service}-in`,
    mtu: '1480',
    'actual-mtu': '1480',
    dynamic: 'true',
  });
  return row;
}

export function pppInterfaceName(service: string, user: string): string {
  return `<${service}-${user}>`;
}

/** When a PPP session ends (kicked over the API or by a helper) its dynamic interface goes too. */
export function linkPppInterfaces(state: RouterState): void {
  state.subscribe((change) => {
    if (change.path !== '/ppp/active' || !change.dead) return;
    const name = pppInterfaceName(change.row.service ?? 'pppoe', change.row.name ?? '');
    const iface = state.table('/interface').findByName(name);
    if (iface?.['.id']) state.remove('/interface', iface['.id']);
  });
}

/** The handle's view of subscriber sessions: connect and disconnect without going through the API. */
export interface SubscriberControls {
  connectHotspot(input: HotspotSessionInput): Row;
  connectPpp(input: PppSessionInput): Row;
  /** By `.id` or by user name; returns false when no such session exists. */
  disconnectHotspot(idOrUser: string): boolean;
  disconnectPpp(idOrName: string): boolean;
}

export function subscriberControls(state: RouterState): SubscriberControls {
  const disconnect = (path: string, key: 'user' | 'name', idOrName: string): boolean => {
    const row = state.rows(path).find((r) => r['.id'] === idOrName || r[key] === idOrName);
    if (!row?.['.id']) return false;
    state.remove(path, row['.id']);
    return true;
  };
  return {
    connectHotspot: (input) => addHotspotSession(state, input),
    connectPpp: (input) => addPppSession(state, input),
    disconnectHotspot: (idOrUser) => disconnect('/ip/hotspot/active', 'user', idOrUser),
    disconnectPpp: (idOrName) => disconnect('/ppp/active', 'name', idOrName),
  };
}
