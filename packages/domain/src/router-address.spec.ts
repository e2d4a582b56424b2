import { describe, expect, it } from 'vitest';
import { parseIp, type IpAddress } from './ip-address.ts';
import { parseAllowedCidrs, routerAddressRefusal, type RouterAddressRule } from './router-address.ts';

const ip = (text: string): IpAddress => {
  const a = parseIp(text);
  if (!a) throw new Error(`not an address: ${text}`);
  return a;
};
const rule = (allowed: string[] = [], own: string[] = []): RouterAddressRule => ({
  allowed: parseAllowedCidrs(allowed),
  own: own.map(ip),
});
const verdict = (address: string, r = rule()) => routerAddressRefusal(ip(address), r);

describe('routerAddressRefusal (default rule: no ranges listed)', () => {
  it('allows private, carrier-grade NAT and public addresses', () => {
    for (const a of ['10.1.2.3', '172.16.0.1', '192.168.88.1', '100.64.0.1', '203.0.113.7', '2001:db8::1'])
      expect(verdict(a), a).toBeNull();
  });

  it('refuses loopback, link-local, unspecified, multicast and reserved addresses', () => {
    expect(verdict('127.0.0.1')).toBe('loopback');
    expect(verdict('127.1.2.3')).toBe('loopback');
    expect(verdict('::1')).toBe('loopback');
    expect(verdict('::ffff:127.0.0.1')).toBe('loopback');
    expect(verdict('169.254.169.254')).toBe('link-local');
    expect(verdict('fe80::1')).toBe('link-local');
    expect(verdict('0.0.0.0')).toBe('unspecified');
    expect(verdict('::')).toBe('unspecified');
    expect(verdict('0.1.2.3')).toBe('reserved');
    expect(verdict('224.0.0.1')).toBe('multicast');
    expect(verdict('ff02::1')).toBe('multicast');
    expect(verdict('255.255.255.255')).toBe('reserved');
  });

  it('refuses the server’s own addresses', () => {
    expect(verdict('10.0.0.5', rule([], ['10.0.0.5', '127.0.0.1']))).toBe('own-address');
    expect(verdict('10.0.0.6', rule([], ['10.0.0.5']))).toBeNull();
  });
});

describe('routerAddressRefusal (ranges listed)', () => {
  it('allows only addresses inside the listed ranges', () => {
    const r = rule(['10.20.0.0/16']);
    expect(verdict('10.20.3.4', r)).toBeNull();
    expect(verdict('10.21.0.1', r)).toBe('outside-allowed-ranges');
    expect(verdict('2001:db8::1', r)).toBe('outside-allowed-ranges');
  });

  it('opens loopback only for a range wholly inside it (the demo router on 127.0.0.1)', () => {
    const demo = rule(['0.0.0.0/0', '127.0.0.1/32']);
    expect(verdict('127.0.0.1', demo)).toBeNull();
    expect(verdict('127.0.0.2', demo)).toBe('loopback');
    expect(verdict('192.168.88.1', demo)).toBeNull();
    expect(verdict('169.254.169.254', rule(['0.0.0.0/0']))).toBe('link-local');
    expect(verdict('127.0.0.1', rule(['0.0.0.0/0']))).toBe('loopback');
  });

  it('opens one of the server’s own addresses only when listed on its own', () => {
    expect(verdict('10.0.0.5', rule(['10.0.0.0/8'], ['10.0.0.5']))).toBe('own-address');
    expect(verdict('10.0.0.5', rule(['10.0.0.5/32'], ['10.0.0.5']))).toBeNull();
  });

  it('never opens unspecified, multicast or reserved addresses', () => {
    expect(verdict('0.0.0.0', rule(['0.0.0.0/32']))).toBe('unspecified');
    expect(verdict('224.0.0.1', rule(['224.0.0.0/4']))).toBe('multicast');
  });

  it('names a bad range', () => {
    expect(() => parseAllowedCidrs(['10.0.0.0/8', '10.0.0.1/8'])).toThrow(/10\.0\.0\.1\/8/);
  });
});
