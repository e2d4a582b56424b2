// /ip menus an ISP tool touches: addresses, the walled-garden address list and the hotspot.
import type { FieldContext, Row, TableMenu } from './menu.schema.ts';
import { SESSION_VERBS, flag, readOnly, readOnlyFlag, ref, table, text, uniqueName } from './menu.schema.ts';
import { MESSAGES } from './router.errors.ts';

const createdNow = (ctx: FieldContext): string => ctx.formatDateTime(ctx.now());

/** 10.0.0.7/24 → 10.0.0.0 (RouterOS fills `network` from the address). */
function networkOf(address: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(address);
  if (!m) return undefined;
  const bits = Number(m[5]);
  const value = m.slice(1, 5).reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const net = (value & mask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (net >>> shift) & 0xff).join('.');
}

export const ipAddress = table(
  '/ip/address',
  {
    address: text(),
    network: readOnly(),
    interface: ref('/interface'),
    'actual-interface': readOnly(),
    invalid: readOnlyFlag(false),
    dynamic: readOnlyFlag(false),
    disabled: flag(false),
    comment: text(),
  },
  {
    unique: { fields: ['address', 'interface'], message: 'failure: already have such address' },
    derive: (row: Row): Row => ({
      ...row,
      network: networkOf(row.address ?? '') ?? '',
      'actual-interface': row.interface ?? '',
    }),
  },
);

export const addressList = table(
  '/ip/firewall/address-list',
  {
    list: text(),
    address: text(),
    timeout: text(),
    'creation-time': readOnly(createdNow),
    dynamic: readOnlyFlag(false),
    disabled: flag(false),
    comment: text(),
  },
  { unique: { fields: ['list', 'address'], message: 'failure: already have such entry' } },
);

export const hotspotServer = table(
  '/ip/hotspot',
  {
    name: text(),
    interface: ref('/interface'),
    'address-pool': text('none'),
    profile: ref('/ip/hotspot/profile', 'default'),
    'idle-timeout': text('5m'),
    'keepalive-timeout': text('none'),
    'login-timeout': text('none'),
    'addresses-per-mac': text('2'),
    invalid: readOnlyFlag(false),
    HTTPS: readOnlyFlag(false),
    disabled: flag(false),
  },
  { unique: uniqueName(MESSAGES.alreadyHaveSuchName) },
);

export const hotspotProfile = table(
  '/ip/hotspot/profile',
  {
    name: text(),
    'hotspot-address': text(),
    'dns-name': text(''),
    'html-directory': text('hotspot'),
    'html-directory-override': text(''),
    'rate-limit': text(''),
    'http-proxy': text('0.0.0.0:0'),
    'smtp-server': text('0.0.0.0'),
    'login-by': text('cookie,http-chap'),
    'http-cookie-lifetime': text('3d'),
    'split-user-domain': flag(false),
    'use-radius': flag(false),
    'radius-accounting': flag(true),
    'radius-interim-update': text('received'),
    'nas-port-type': text('wireless-802.11'),
    'radius-default-domain': text(''),
    'radius-location-id': text(''),
    'radius-location-name': text(''),
    'radius-mac-format': text('XX:XX:XX:XX:XX:XX'),
    default: readOnlyFlag(false),
  },
  { unique: uniqueName(MESSAGES.alreadyHaveSuchName) },
);

export const hotspotUserProfile = table(
  '/ip/hotspot/user/profile',
  {
    name: text(),
    'address-pool': text('none'),
    'idle-timeout': text('none'),
    'keepalive-timeout': text('2m'),
    'status-autorefresh': text('1m'),
    'shared-users': text('1'),
    'rate-limit': text(),
    'add-mac-cookie': flag(true),
    'mac-cookie-timeout': text('3d'),
    'address-list': text(''),
    'transparent-proxy': flag(false),
    'on-login': text(),
    'on-logout': text(),
    default: readOnlyFlag(false),
  },
  { unique: uniqueName(MESSAGES.alreadyHaveSuchName) },
);

export const hotspotUser = table(
  '/ip/hotspot/user',
  {
    server: ref('/ip/hotspot', 'all', ['all']),
    name: text(),
    password: text(),
    address: text(),
    'mac-address': text(),
    profile: ref('/ip/hotspot/user/profile', 'default'),
    routes: text(),
    email: text(),
    'limit-uptime': text(),
    'limit-bytes-in': text(),
    'limit-bytes-out': text(),
    'limit-bytes-total': text(),
    uptime: readOnly('0s'),
    'bytes-in': readOnly('0'),
    'bytes-out': readOnly('0'),
    'packets-in': readOnly('0'),
    'packets-out': readOnly('0'),
    dynamic: readOnlyFlag(false),
    disabled: flag(false),
    comment: text(),
  },
  { unique: uniqueName('failure: already have user with this name for this server') },
);

export const hotspotActive: TableMenu = table(
  '/ip/hotspot/active',
  {
    server: readOnly('hotspot1'),
    user: readOnly(),
    domain: readOnly(''),
    address: readOnly(),
    'mac-address': readOnly(),
    'login-by': readOnly('http-chap'),
    uptime: readOnly('0s'),
    'idle-time': readOnly('0s'),
    'session-time-left': readOnly(),
    'idle-timeout': readOnly(),
    'keepalive-timeout': readOnly('2m'),
    'bytes-in': readOnly('0'),
    'bytes-out': readOnly('0'),
    'packets-in': readOnly('0'),
    'packets-out': readOnly('0'),
    radius: readOnlyFlag(false),
  },
  { verbs: [...SESSION_VERBS, 'login'] },
);

/** HTTP walled garden: hosts a client may open before login (plain HTTP requests only). */
export const walledGarden = table('/ip/hotspot/walled-garden', {
  action: text('allow'),
  server: text(),
  'src-address': text(),
  'dst-host': text(),
  'dst-port': text(),
  path: text(),
  method: text(),
  hits: readOnly('0'),
  dynamic: readOnlyFlag(false),
  disabled: flag(false),
  comment: text(),
});

/** IP walled garden: what HTTPS hosts need (`dst-host` matched by the router's DNS cache). */
export const walledGardenIp = table('/ip/hotspot/walled-garden/ip', {
  action: text('accept'),
  server: text(),
  'src-address': text(),
  'dst-address': text(),
  'dst-host': text(),
  protocol: text(),
  'dst-port': text(),
  invalid: readOnlyFlag(false),
  dynamic: readOnlyFlag(false),
  disabled: flag(false),
  comment: text(),
});

export const IP_MENUS = [
  ipAddress,
  addressList,
  hotspotServer,
  hotspotProfile,
  hotspotUserProfile,
  hotspotUser,
  hotspotActive,
  walledGarden,
  walledGardenIp,
];
