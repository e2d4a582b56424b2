import { describe, expect, it } from 'vitest';
import {
  bytesToIpv4,
  bytesToIpv6,
  bytesToIpv6Prefix,
  ipv4ToBytes,
  ipv6PrefixToBytes,
  ipv6ToBytes,
} from './ip-address.codec.ts';

describe('IPv4', () => {
  it('round-trips dotted quads and refuses anything else', () => {
    expect(ipv4ToBytes('10.5.50.1')).toEqual(Buffer.from([10, 5, 50, 1]));
    expect(bytesToIpv4(Buffer.from([192, 168, 88, 254]))).toBe('192.168.88.254');
    expect(ipv4ToBytes('10.5.50')).toBeUndefined();
    expect(ipv4ToBytes('256.1.1.1')).toBeUndefined();
    expect(bytesToIpv4(Buffer.alloc(3))).toBeUndefined();
  });
});

describe('IPv6', () => {
  it.each([
    ['2001:db8::1', '20010db8000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['fe80::1:2', 'fe800000000000000000000000010002'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['2001:db8:1:2:3:4:5:6', '20010db8000100020003000400050006'],
  ])('encodes %s', (text, hex) => {
    expect(ipv6ToBytes(text)?.toString('hex')).toBe(hex);
  });

  it('formats in RFC 5952 canonical form', () => {
    expect(bytesToIpv6(Buffer.from('20010db8000000000000000000000001', 'hex'))).toBe('2001:db8::1');
    expect(bytesToIpv6(Buffer.from('20010db8000000010000000000000001', 'hex'))).toBe('2001:db8:0:1::1');
    expect(bytesToIpv6(Buffer.from('20010db8000100020003000400050006', 'hex'))).toBe('2001:db8:1:2:3:4:5:6');
    expect(bytesToIpv6(Buffer.alloc(16))).toBe('::');
  });

  it('refuses invalid text', () => {
    expect(ipv6ToBytes('2001:db8::1::2')).toBeUndefined();
    expect(ipv6ToBytes('10.0.0.1')).toBeUndefined();
    expect(ipv6ToBytes('fe80::1%eth0')).toBeUndefined();
  });

  it('encodes prefixes with only the significant octets, masking stray bits (RFC 3162, RFC 8044)', () => {
    expect(ipv6PrefixToBytes('2001:db8:100::/40')?.toString('hex')).toBe('002820010db801');
    expect(ipv6PrefixToBytes('2001:db8:1ff::/41')?.toString('hex')).toBe('002920010db80180');
    expect(ipv6PrefixToBytes('::/0')?.toString('hex')).toBe('0000');
    expect(ipv6PrefixToBytes('2001:db8::/129')).toBeUndefined();
    expect(ipv6PrefixToBytes('2001:db8::')).toBeUndefined();
  });

  it('decodes prefixes, short or full length', () => {
    expect(bytesToIpv6Prefix(Buffer.from('003020010db80001', 'hex'))).toBe('2001:db8:1::/48');
    expect(bytesToIpv6Prefix(Buffer.from('004020010db8000100020000000000000000', 'hex'))).toBe(
      '2001:db8:1:2::/64',
    );
    expect(bytesToIpv6Prefix(Buffer.from('00402001', 'hex'))).toBeUndefined();
    expect(bytesToIpv6Prefix(Buffer.from('00ff', 'hex'))).toBeUndefined();
  });
});
