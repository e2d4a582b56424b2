// Typed views of the rows Kasi reads from routers, with the property lists that fetch them.
// A row missing a property that every supported release prints is a ROUTER.BAD_REPLY rather
// than a silent 0 or false: a wrong number here would feed wrong decisions downstream.
import type { RouterRow } from './row.reader.ts';
import { RowReader } from './row.reader.ts';

export interface RouterResource {
  version: string;
  uptimeSeconds: number;
  cpuLoad: number;
  freeMemory: number;
  totalMemory: number;
  boardName: string;
}

export interface RouterInterface {
  id: string;
  name: string;
  type: string;
  running: boolean;
  disabled: boolean;
  comment: string | undefined;
}

export interface RadiusClient {
  id: string;
  address: string;
  services: string[];
  /** The shared secret in clear (the API user needs the `sensitive` policy): never log it. */
  secret: string;
  timeoutMs: number;
  authenticationPort: number;
  accountingPort: number;
  srcAddress: string;
  disabled: boolean;
  comment: string | undefined;
}

export interface HotspotProfile {
  id: string;
  name: string;
  useRadius: boolean;
  radiusAccounting: boolean;
  /** "received" (use RADIUS's Acct-Interim-Interval) or a duration such as "5m". */
  radiusInterimUpdate: string;
  loginBy: string[];
}

export interface PppAaa {
  useRadius: boolean;
  accounting: boolean;
  interimUpdateSeconds: number;
}

export interface RadiusIncoming {
  accept: boolean;
  port: number;
}

export interface HotspotActiveSession {
  id: string;
  server: string;
  user: string;
  address: string;
  macAddress: string;
  loginBy: string;
  uptimeSeconds: number;
  bytesIn: number;
  bytesOut: number;
  radius: boolean;
}

export interface PppActiveSession {
  id: string;
  name: string;
  service: string;
  callerId: string;
  address: string;
  uptimeSeconds: number;
  sessionId: string;
  radius: boolean;
}

export const RESOURCE_PROPS = ['version', 'uptime', 'cpu-load', 'free-memory', 'total-memory', 'board-name'];

export function toResource(row: RouterRow): RouterResource {
  const r = new RowReader('/system/resource', row);
  return {
    version: r.text('version'),
    uptimeSeconds: r.seconds('uptime'),
    cpuLoad: r.integer('cpu-load'),
    freeMemory: r.integer('free-memory'),
    totalMemory: r.integer('total-memory'),
    boardName: r.text('board-name'),
  };
}

export const INTERFACE_PROPS = ['.id', 'name', 'type', 'running', 'disabled', 'comment'];

export function toInterface(row: RouterRow): RouterInterface {
  const r = new RowReader('/interface', row);
  return {
    id: r.text('.id'),
    name: r.text('name'),
    type: r.text('type'),
    running: r.flag('running'),
    disabled: r.flag('disabled'),
    comment: r.optionalText('comment'),
  };
}

export function toRadiusClient(row: RouterRow): RadiusClient {
  const r = new RowReader('/radius', row);
  return {
    id: r.text('.id'),
    address: r.text('address'),
    services: r.list('service'),
    secret: r.text('secret'),
    timeoutMs: Math.round(r.seconds('timeout') * 1000),
    authenticationPort: r.integer('authentication-port'),
    accountingPort: r.integer('accounting-port'),
    srcAddress: r.text('src-address'),
    disabled: r.flag('disabled'),
    comment: r.optionalText('comment'),
  };
}

export const HOTSPOT_PROFILE_PROPS = [
  '.id',
  'name',
  'use-radius',
  'radius-accounting',
  'radius-interim-update',
  'login-by',
];

export function toHotspotProfile(row: RouterRow): HotspotProfile {
  const r = new RowReader('/ip/hotspot/profile', row);
  return {
    id: r.text('.id'),
    name: r.text('name'),
    useRadius: r.flag('use-radius'),
    radiusAccounting: r.flag('radius-accounting'),
    radiusInterimUpdate: r.text('radius-interim-update'),
    loginBy: r.list('login-by'),
  };
}

export function toPppAaa(row: RouterRow): PppAaa {
  const r = new RowReader('/ppp/aaa', row);
  return {
    useRadius: r.flag('use-radius'),
    accounting: r.flag('accounting'),
    interimUpdateSeconds: r.seconds('interim-update'),
  };
}

export function toRadiusIncoming(row: RouterRow): RadiusIncoming {
  const r = new RowReader('/radius/incoming', row);
  return { accept: r.flag('accept'), port: r.integer('port') };
}

export const HOTSPOT_ACTIVE_PROPS = [
  '.id',
  'server',
  'user',
  'address',
  'mac-address',
  'login-by',
  'uptime',
  'bytes-in',
  'bytes-out',
  'radius',
];

export function toHotspotActive(row: RouterRow): HotspotActiveSession {
  const r = new RowReader('/ip/hotspot/active', row);
  return {
    id: r.text('.id'),
    server: r.text('server'),
    user: r.text('user'),
    address: r.text('address'),
    macAddress: r.text('mac-address'),
    loginBy: r.text('login-by'),
    uptimeSeconds: r.seconds('uptime'),
    bytesIn: r.integer('bytes-in'),
    bytesOut: r.integer('bytes-out'),
    radius: r.flag('radius'),
  };
}

export const PPP_ACTIVE_PROPS = [
  '.id',
  'name',
  'service',
  'caller-id',
  'address',
  'uptime',
  'session-id',
  'radius',
];

export function toPppActive(row: RouterRow): PppActiveSession {
  const r = new RowReader('/ppp/active', row);
  return {
    id: r.text('.id'),
    name: r.text('name'),
    service: r.text('service'),
    callerId: r.text('caller-id'),
    address: r.text('address'),
    uptimeSeconds: r.seconds('uptime'),
    sessionId: r.text('session-id'),
    radius: r.flag('radius'),
  };
}
