// IPv4/IPv6 text <-> bytes for ipaddr, ipv6addr and ipv6prefix attributes (RFC 2865 §5, RFC 3162).
// node:net validates the text; the byte layout is done here because Node has no inet_pton.
import { isIPv4, isIPv6 } from 'node:net';

export function ipv4ToBytes(text: string): Buffer | undefined {
  if (!isIPv4(text)) return undefined;
  return Buffer.from(text.split('.').map(Number));
}

export function bytesToIpv4(bytes: Buffer): string | undefined {
  if (bytes.length !== 4) return undefined;
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

export function ipv6ToBytes(text: string): Buffer | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined;
  const groups = expandIpv6Groups(text);
  if (!groups) return undefined;
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => out.writeUInt16BE(group, i * 2));
  return out;
}

/** Splits '::' and an embedded dotted IPv4 tail into exactly eight 16-bit groups. */
function expandIpv6Groups(text: string): number[] | undefined {
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const v4 = ipv4ToBytes(group) ?? Buffer.alloc(4);
          return [v4.readUInt16BE(0), v4.readUInt16BE(2)];
        });
  const left = parse(head);
  if (tail === undefined) return left.length === 8 ? left : undefined;
  const right = parse(tail);
  const zeros = 8 - left.length - right.length;
  return zeros < 0 ? undefined : [...left, ...new Array<number>(zeros).fill(0), ...right];
}

/** RFC 5952 canonical text: lowercase, longest run of two or more zero groups as '::'. */
export function bytesToIpv6(bytes: Buffer): string | undefined {
  if (bytes.length !== 16) return undefined;
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** "2001:db8::/48" → reserved 0, prefix length, then only the prefix octets that carry bits. */
export function ipv6PrefixToBytes(text: string): Buffer | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const bits = Number(text.slice(slash + 1));
  const address = ipv6ToBytes(text.slice(0, slash));
  if (!address || !Number.isInteger(bits) || bits < 0 || bits > 128) return undefined;
  const octets = Math.ceil(bits / 8);
  const prefix = Buffer.from(address.subarray(0, octets));
  // Bits past the prefix length must be zero (RFC 8044 §3.10), so mask them rather than leak them.
  if (bits % 8 !== 0) prefix[octets - 1] = (prefix[octets - 1] ?? 0) & (0xff << (8 - (bits % 8)));
  return Buffer.concat([Buffer.from([0, bits]), prefix]);
}

export function bytesToIpv6Prefix(bytes: Buffer): string | undefined {
  if (bytes.length < 2 || bytes.length > 18) return undefined;
  const bits = bytes.readUInt8(1);
  if (bits > 128 || bytes.length - 2 < Math.ceil(bits / 8)) return undefined;
  const address = Buffer.alloc(16);
  bytes.subarray(2).copy(address);
  return `${bytesToIpv6(address)}/${bits}`;
}
