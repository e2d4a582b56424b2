// IP addresses and CIDR ranges as numbers, so ranges can be compared exactly. Pure (no
// node:net here: the domain stays free of Node I/O); IPv4-mapped IPv6 addresses
// (::ffff:a.b.c.d) are read as the IPv4 address they reach.

export interface IpAddress {
  version: 4 | 6;
  bits: bigint;
}

export interface Cidr {
  address: IpAddress;
  prefix: number;
}

const WIDTH = { 4: 32, 6: 128 } as const;
const MAPPED_PREFIX = 0xffffn << 32n;

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let bits = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return null;
    bits = (bits << 8n) | BigInt(part);
  }
  return bits;
}

function parseIpv6(text: string): bigint | null {
  let hex = text;
  if (text.includes('.')) {
    // A trailing dotted quad stands for the last two groups.
    const at = text.lastIndexOf(':');
    const v4 = parseIpv4(text.slice(at + 1));
    if (v4 === null) return null;
    hex = `${text.slice(0, at + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groupsOf(halves[0] ?? '');
  const right = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let bits = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    bits = (bits << 16n) | BigInt(`0x${g}`);
  }
  return bits;
}

/** An IPv4 or IPv6 address (a `%zone` suffix is ignored), or null when the text is not one. */
export function parseIp(text: string): IpAddress | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { version: 4, bits: v4 };
  const v6 = parseIpv6(text.replace(/%[^%]+$/, ''));
  if (v6 === null) return null;
  if (v6 >> 32n === MAPPED_PREFIX >> 32n) return { version: 4, bits: v6 & 0xffffffffn };
  return { version: 6, bits: v6 };
}

/**
 * `a.b.c.d/n` or `x::/n` (a bare address is a single-address range). Host bits must be zero,
 * so a typo like 10.0.0.1/8 is caught instead of silently widened.
 */
export function parseCidr(text: string): Cidr | null {
  const [addressText = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const raw = parseIpv6OrV4Raw(addressText);
  if (!raw) return null;
  const width = WIDTH[raw.version];
  if (prefixText !== undefined && !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null;
  let prefix = prefixText === undefined ? width : Number(prefixText);
  if (prefix > width) return null;
  let address: IpAddress = raw;
  if (raw.version === 6 && prefix >= 96 && raw.bits >> 32n === MAPPED_PREFIX >> 32n) {
    address = { version: 4, bits: raw.bits & 0xffffffffn };
    prefix -= 96;
  }
  const hostBits = WIDTH[address.version] - prefix;
  if (address.bits & ((1n << BigInt(hostBits)) - 1n)) return null;
  return { address, prefix };
}

/** Like parseIp, but keeps a mapped address in IPv6 form so its prefix can be checked against 128. */
function parseIpv6OrV4Raw(text: string): IpAddress | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { version: 4, bits: v4 };
  const v6 = parseIpv6(text);
  return v6 === null ? null : { version: 6, bits: v6 };
}

export function cidrContains(range: Cidr, ip: IpAddress): boolean {
  if (range.address.version !== ip.version) return false;
  const shift = BigInt(WIDTH[ip.version] - range.prefix);
  return ip.bits >> shift === range.address.bits >> shift;
}

/** True when every address of `inner` lies in `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrContains(outer, inner.address);
}

export function sameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.version === b.version && a.bits === b.bits;
}

export function formatCidr(range: Cidr): string {
  const { version, bits } = range.address;
  if (version === 4) {
    const octets = [24n, 16n, 8n, 0n].map((s) => ((bits >> s) & 0xffn).toString());
    return `${octets.join('.')}/${range.prefix}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => ((bits >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const text =
    best.at < 0
      ? groups.join(':')
      : `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
  return `${text}/${range.prefix}`;
}
