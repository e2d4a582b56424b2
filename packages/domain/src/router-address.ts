// Where a tenant's MikroTik routers may be. The server opens RouterOS API connections to a
// router's host when asked (router.test, the health poll, change plans), and a connect that
// succeeds or fails tells open from closed ports: a host on the server itself or its local
// link would let a tenant map the server's own network. So the server refuses those by
// default, checks every address a host name resolves to, and a tenant's operator-set ranges
// can narrow the rule (and open loopback for a router on the same machine, as in the demo).
import { cidrContains, cidrWithin, parseCidr, sameAddress, type Cidr, type IpAddress } from './ip-address.ts';
import { invalid } from './errors.ts';

export type AddressClass = 'unspecified' | 'multicast' | 'reserved' | 'loopback' | 'link-local' | 'ordinary';

const range = (text: string): Cidr => {
  const c = parseCidr(text);
  if (!c) throw new Error(`bad built-in range ${text}`);
  return c;
};

/** Most specific first: the first range that holds an address names its class. */
const CLASSES: readonly [Cidr, AddressClass][] = [
  [range('0.0.0.0/32'), 'unspecified'],
  [range('0.0.0.0/8'), 'reserved'],
  [range('127.0.0.0/8'), 'loopback'],
  [range('169.254.0.0/16'), 'link-local'],
  [range('224.0.0.0/4'), 'multicast'],
  [range('240.0.0.0/4'), 'reserved'],
  [range('::/128'), 'unspecified'],
  [range('::1/128'), 'loopback'],
  [range('::/96'), 'reserved'],
  [range('fe80::/10'), 'link-local'],
  [range('ff00::/8'), 'multicast'],
];

export function classifyAddress(ip: IpAddress): { class: AddressClass; range: Cidr | null } {
  for (const [r, c] of CLASSES) if (cidrContains(r, ip)) return { class: c, range: r };
  return { class: 'ordinary', range: null };
}

export type RouterAddressRefusal =
  Exclude<AddressClass, 'ordinary'> | 'own-address' | 'outside-allowed-ranges';

export interface RouterAddressRule {
  /** The tenant's ranges; empty means the default rule (every ordinary address). */
  allowed: readonly Cidr[];
  /** The server's own interface addresses. */
  own: readonly IpAddress[];
}

/**
 * Unspecified, multicast and reserved addresses are never allowed (0.0.0.0 reaches the server
 * itself). Loopback, link-local and the server's own addresses are refused unless a listed
 * range lies wholly inside that class (127.0.0.1/32 opens one loopback address; 0.0.0.0/0
 * means "any ordinary address" and opens none of them). Any other address is allowed when no
 * ranges are listed, else when a listed range holds it.
 */
export function routerAddressRefusal(ip: IpAddress, rule: RouterAddressRule): RouterAddressRefusal | null {
  const { class: kind, range: classRange } = classifyAddress(ip);
  if (kind === 'unspecified' || kind === 'multicast' || kind === 'reserved') return kind;
  const listed = rule.allowed.filter((r) => cidrContains(r, ip));
  if (kind === 'loopback' || kind === 'link-local') {
    return listed.some((r) => classRange && cidrWithin(r, classRange)) ? null : kind;
  }
  if (rule.own.some((o) => sameAddress(o, ip))) {
    return listed.some((r) => r.prefix === (ip.version === 4 ? 32 : 128)) ? null : 'own-address';
  }
  if (rule.allowed.length === 0) return null;
  return listed.length > 0 ? null : 'outside-allowed-ranges';
}

const REASONS: Record<RouterAddressRefusal, string> = {
  unspecified: 'is not a router’s address',
  multicast: 'is a multicast address',
  reserved: 'is a reserved address',
  loopback: 'is a loopback address (this server)',
  'link-local': 'is a link-local address',
  'own-address': 'is one of this server’s own addresses',
  'outside-allowed-ranges': 'is outside the address ranges allowed for routers',
};

/** The typed error for a refused address; the message names the address and the reason. */
export function routerAddressNotAllowed(host: string, address: string, reason: RouterAddressRefusal) {
  const shown = host === address ? address : `${host} (${address})`;
  return invalid(
    'ROUTER.ADDRESS_NOT_ALLOWED',
    `${shown} ${REASONS[reason]}; ask the server's operator to allow it`,
    {
      reason,
    },
  );
}

/** Parses an operator's list of ranges, naming the first bad entry. */
export function parseAllowedCidrs(texts: readonly string[]): Cidr[] {
  return texts.map((t) => {
    const c = parseCidr(t);
    if (!c)
      throw invalid('ROUTER.BAD_CIDR', `"${t}" is not an address range like 10.20.0.0/16 (host bits zero)`);
    return c;
  });
}
