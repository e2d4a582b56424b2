// The unit one client is counted as by the login throttle. An IPv4 address is one client;
// an IPv6 client usually holds a whole /64 and can pick any address in it, so its /64
// is the unit (otherwise each guess could come from a fresh address).
import { isIPv4, isIPv6 } from 'node:net';

/** Expands `2001:db8::1` to its eight 16-bit groups. */
function ipv6Groups(ip: string): number[] {
  const [head = '', tail] = ip.split('::');
  const part = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

export function addressGroup(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return mapped;
  if (isIPv4(ip) || !isIPv6(ip) || ip.includes('.')) return ip;
  const prefix = ipv6Groups(ip.split('%')[0] ?? ip).slice(0, 4);
  return `${prefix.map((g) => g.toString(16)).join(':')}::/64`;
}
