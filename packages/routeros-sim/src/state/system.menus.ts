// Interfaces, RADIUS client, queues and the /system singletons.
import type { LiveContext, Row } from './menu.schema.ts';
import {
  READONLY_SINGLETON_VERBS,
  flag,
  readOnly,
  readOnlyFlag,
  singleton,
  table,
  text,
  uniqueName,
} from './menu.schema.ts';
import { MESSAGES } from './router.errors.ts';
import { formatDate, formatDateTime, formatDuration, formatTime } from './value.format.ts';

export const iface = table(
  '/interface',
  {
    name: text(),
    'default-name': readOnly(),
    type: readOnly('ether'),
    mtu: text('1500'),
    'actual-mtu': readOnly('1500'),
    l2mtu: readOnly('1598'),
    'mac-address': readOnly(),
    'last-link-up-time': readOnly((ctx) => ctx.formatDateTime(ctx.now())),
    'link-downs': readOnly('0'),
    'rx-byte': readOnly('0'),
    'tx-byte': readOnly('0'),
    'rx-packet': readOnly('0'),
    'tx-packet': readOnly('0'),
    running: readOnlyFlag(true),
    dynamic: readOnlyFlag(false),
    disabled: flag(false),
    comment: text(),
  },
  {
    unique: uniqueName('failure: already have interface with such name'),
    verbs: ['print', 'getall', 'get', 'listen', 'set', 'enable', 'disable', 'unset'],
  },
);

export const radius = table('/radius', {
  service: text(''),
  'called-id': text(''),
  domain: text(''),
  address: text(),
  secret: text(''),
  'authentication-port': text('1812'),
  'accounting-port': text('1813'),
  timeout: text('300ms'),
  'accounting-backup': flag(false),
  realm: text(''),
  'src-address': text('0.0.0.0'),
  protocol: text('udp'),
  disabled: flag(false),
  comment: text(),
});

export const radiusIncoming = singleton('/radius/incoming', {
  accept: flag(false),
  port: text('3799'),
});

export const simpleQueue = table(
  '/queue/simple',
  {
    name: text(),
    target: text(),
    parent: text('none'),
    'packet-marks': text(''),
    priority: text('8/8'),
    queue: text('default-small/default-small'),
    'limit-at': text('0/0'),
    'max-limit': text('0/0'),
    'burst-limit': text('0/0'),
    'burst-threshold': text('0/0'),
    'burst-time': text('0s/0s'),
    invalid: readOnlyFlag(false),
    dynamic: readOnlyFlag(false),
    disabled: flag(false),
    comment: text(),
  },
  { unique: uniqueName(MESSAGES.alreadyHaveSuchName) },
);

export const systemScript = table(
  '/system/script',
  {
    name: text(),
    owner: readOnly('admin'),
    policy: text('ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon'),
    'dont-require-permissions': flag(false),
    'run-count': readOnly('0'),
    source: text(''),
    invalid: readOnlyFlag(false),
    comment: text(),
  },
  { unique: uniqueName(MESSAGES.alreadyHaveSuchName) },
);

function liveResource(ctx: LiveContext): Row {
  return {
    uptime: formatDuration((ctx.now() - ctx.startedAt) / 1000),
    version: ctx.versionString,
    'build-time': formatDateTime(ctx.buildTime, { iso: ctx.isoDates, capitalMonth: true }),
  };
}

export const systemResource = singleton(
  '/system/resource',
  {
    uptime: readOnly(),
    version: readOnly(),
    'build-time': readOnly(),
    'factory-software': readOnly('6.44.6'),
    'free-memory': readOnly('191426560'),
    'total-memory': readOnly('268435456'),
    cpu: readOnly('ARMv7'),
    'cpu-count': readOnly('4'),
    'cpu-frequency': readOnly('716'),
    'cpu-load': readOnly('3'),
    'free-hdd-space': readOnly('98304000'),
    'total-hdd-space': readOnly('134217728'),
    'architecture-name': readOnly('arm'),
    'board-name': readOnly('hAP ac^2'),
    platform: readOnly('MikroTik'),
  },
  { verbs: READONLY_SINGLETON_VERBS, live: liveResource },
);

export const systemIdentity = singleton('/system/identity', { name: text('MikroTik') });

export const systemClock = singleton(
  '/system/clock',
  {
    time: readOnly(),
    date: readOnly(),
    'time-zone-autodetect': flag(true),
    'time-zone-name': text('manual'),
    'gmt-offset': readOnly('+00:00'),
    'dst-active': readOnlyFlag(false),
  },
  {
    live: (ctx) => ({
      time: formatTime(ctx.now()),
      date: formatDate(ctx.now(), { iso: ctx.isoDates }),
    }),
  },
);

export const SYSTEM_MENUS = [
  iface,
  radius,
  radiusIncoming,
  simpleQueue,
  systemScript,
  systemResource,
  systemIdentity,
  systemClock,
];
