// The client's address and scheme. Behind a reverse proxy the socket peer is the proxy,
// so X-Forwarded-For is believed, but only from proxies the operator listed: walking the
// header from the right, each hop added by a trusted proxy is skipped, and the first
// address not in the list is the client. From anyone else the header is ignored, so a
// client cannot choose the address the login throttle counts it as.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export interface ClientOrigin {
  ip: string;
  /** The client reached us over HTTPS (directly or via a trusted proxy). */
  secure: boolean;
}

/** `10.0.0.1`, `10.0.0.0/8`, `::1` or `fd00::/8`; null when not one of those. */
function parseEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, extra] = entry.split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return null;
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(bits)) || prefix > bits) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export const isProxyEntry = (entry: string) => parseEntry(entry) !== null;

export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (!parsed) throw new Error(`not an address or CIDR: ${entry}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list;
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is `192.0.2.1`. */
const plain = (ip: string) => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;

function isTrusted(list: BlockList, ip: string): boolean {
  const version = isIP(ip);
  return version !== 0 && list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
}

const firstValue = (header: string | string[] | undefined) =>
  (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')[0]?.trim().toLowerCase();

export function clientOrigin(req: IncomingMessage, trusted: BlockList): ClientOrigin {
  const peer = plain(req.socket.remoteAddress ?? 'unknown');
  const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
  if (!isTrusted(trusted, peer)) return { ip: peer, secure: encrypted };
  const forwarded = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((h) => plain(h.trim()))
    .filter(Boolean);
  let ip = peer;
  for (const hop of hops.reverse()) {
    // A hop that is not an address was not written by a proxy we trust: stop at the last good one.
    if (!isIP(hop)) break;
    ip = hop;
    if (!isTrusted(trusted, hop)) break;
  }
  return { ip, secure: encrypted || firstValue(req.headers['x-forwarded-proto']) === 'https' };
}
