import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientOrigin, isProxyEntry, trustedProxyList } from './client-address.ts';

const req = (peer: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;

describe('clientOrigin', () => {
  const proxies = trustedProxyList(['10.0.0.0/8', '::1']);

  it('ignores X-Forwarded-For and -Proto from a peer that is not a trusted proxy', () => {
    const r = req('198.51.100.9', { 'x-forwarded-for': '192.0.2.1', 'x-forwarded-proto': 'https' });
    expect(clientOrigin(r, proxies)).toEqual({ ip: '198.51.100.9', secure: false });
    expect(clientOrigin(r, trustedProxyList([]))).toEqual({ ip: '198.51.100.9', secure: false });
  });

  it('takes the first untrusted hop from the right, so a client cannot choose its address', () => {
    const r = req('10.0.0.2', {
      'x-forwarded-for': '6.6.6.6, 192.0.2.1, 10.1.1.1',
      'x-forwarded-proto': 'https',
    });
    expect(clientOrigin(r, proxies)).toEqual({ ip: '192.0.2.1', secure: true });
  });

  it('uses the proxy itself when it forwarded nothing, and stops at a hop that is not an address', () => {
    expect(clientOrigin(req('::ffff:10.0.0.2'), proxies).ip).toBe('10.0.0.2');
    expect(clientOrigin(req('10.0.0.2', { 'x-forwarded-for': 'junk, 10.0.0.7' }), proxies).ip).toBe(
      '10.0.0.7',
    );
    expect(clientOrigin(req('::1', { 'x-forwarded-for': '2001:db8::5' }), proxies).ip).toBe('2001:db8::5');
  });
});

describe('trusted proxy entries', () => {
  it('accepts addresses and CIDRs and refuses anything else', () => {
    for (const ok of ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '0.0.0.0/0'])
      expect(isProxyEntry(ok)).toBe(true);
    for (const bad of ['10.0.0.0/33', 'proxy.lan', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x', ''])
      expect(isProxyEntry(bad)).toBe(false);
    expect(() => trustedProxyList(['nope'])).toThrow(/nope/);
  });
});
