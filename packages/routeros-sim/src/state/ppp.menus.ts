// /ppp menus: local secrets and profiles, live sessions, and the AAA switch to RADIUS.
import {
  SESSION_VERBS,
  flag,
  readOnly,
  readOnlyFlag,
  ref,
  singleton,
  table,
  text,
  uniqueName,
} from './menu.schema.ts';
import { MESSAGES } from './router.errors.ts';

export const pppSecret = table(
  '/ppp/secret',
  {
    name: text(),
    service: text('any'),
    'caller-id': text(''),
    password: text(''),
    profile: ref('/ppp/profile', 'default'),
    routes: text(''),
    'limit-bytes-in': text('0'),
    'limit-bytes-out': text('0'),
    'local-address': text(),
    'remote-address': text(),
    disabled: flag(false),
    comment: text(),
  },
  { unique: uniqueName('failure: secret with the same name already exists') },
);

export const pppProfile = table(
  '/ppp/profile',
  {
    name: text(),
    'local-address': text(),
    'remote-address': text(),
    bridge: text(),
    'incoming-filter': text(),
    'outgoing-filter': text(),
    'address-list': text(''),
    'dns-server': text(),
    'rate-limit': text(),
    'session-timeout': text(),
    'idle-timeout': text(),
    'only-one': text('default'),
    'change-tcp-mss': text('default'),
    'use-compression': text('default'),
    'use-encryption': text('default'),
    'use-mpls': text('default'),
    'use-upnp': text('default'),
    default: readOnlyFlag(false),
  },
  { unique: uniqueName(MESSAGES.alreadyHaveSuchName) },
);

export const pppActive = table(
  '/ppp/active',
  {
    name: readOnly(),
    service: readOnly('pppoe'),
    'caller-id': readOnly(''),
    encoding: readOnly(''),
    address: readOnly(),
    uptime: readOnly('0s'),
    'session-id': readOnly(),
    'limit-bytes-in': readOnly('0'),
    'limit-bytes-out': readOnly('0'),
    radius: readOnlyFlag(false),
  },
  { verbs: SESSION_VERBS },
);

export const pppAaa = singleton('/ppp/aaa', {
  'use-radius': flag(false),
  accounting: flag(true),
  'interim-update': text('0s'),
  'use-circuit-id-in-nas-port-id': flag(false),
});

export const PPP_MENUS = [pppSecret, pppProfile, pppActive, pppAaa];
