import { describe, expect, it } from 'vitest';
import { cidrContains, formatCidr, parseCidr, parseIp } from './ip-address.ts';

describe('parseIp', () => {
  it('reads IPv4 and IPv6, and an IPv4-mapped IPv6 address as the IPv4 address it reaches', () => {
    expect(parseIp('192.168.88.1')).toEqual({ version: 4, bits: 0xc0a85801n });
    expect(parseIp('::1')).toEqual({ version: 6, bits: 1n });
    expect(parseIp('fe80::1%eth0')).toEqual({ version: 6, bits: (0xfe80n << 112n) | 1n });
    expect(parseIp('::ffff:127.0.0.1')).toEqual({ version: 4, bits: 0x7f000001n });
    expect(parseIp('::ffff:7f00:1')).toEqual({ version: 4, bits: 0x7f000001n });
  });

  it('refuses what is not an address', () => {
    for (const bad of [
      '',
      'router.lan',
      '1.2.3',
      '1.2.3.4.5',
      '01.2.3.4',
      '256.1.1.1',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      ':1::',
      '1:2:3:4:5:6:7::8',
    ])
      expect(parseIp(bad), bad).toBeNull();
  });
});

describe('parseCidr', () => {
  it('reads ranges and bare addresses, and writes them back', () => {
    expect(formatCidr(parseCidr('10.0.0.0/8')!)).toBe('10.0.0.0/8');
    expect(formatCidr(parseCidr('127.0.0.1')!)).toBe('127.0.0.1/32');
    expect(formatCidr(parseCidr('2001:db8::/32')!)).toBe('2001:db8::/32');
    expect(formatCidr(parseCidr('::ffff:127.0.0.1/128')!)).toBe('127.0.0.1/32');
  });

  it('refuses host bits, long prefixes and junk', () => {
    for (const bad of [
      '10.0.0.1/8',
      '10.0.0.0/33',
      '::/129',
      '10.0.0.0/',
      '10.0.0.0/8/1',
      'x/8',
      '10.0.0.0/08',
    ])
      expect(parseCidr(bad), bad).toBeNull();
  });
});

describe('cidrContains', () => {
  it('compares the prefix bits only, and never across IP versions', () => {
    const net = parseCidr('10.20.0.0/16')!;
    expect(cidrContains(net, parseIp('10.20.255.1')!)).toBe(true);
    expect(cidrContains(net, parseIp('10.21.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('2001:db8::1')!)).toBe(false);
    expect(cidrContains(parseCidr('::/0')!, parseIp('2001:db8::1')!)).toBe(true);
  });
});
