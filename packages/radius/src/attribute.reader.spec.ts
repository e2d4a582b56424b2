import { describe, expect, it } from 'vitest';
import {
  describeAttributes,
  findAttributes,
  getAll,
  getDate,
  getInteger,
  getInteger64,
  getIpAddress,
  getIpv6Address,
  getIpv6Prefix,
  getString,
  getText,
  getValue,
  getValueName,
  hasAttribute,
} from './attribute.reader.ts';
import type { RawAttribute } from './packet.types.ts';

const attr = (type: number, value: Buffer | number[], vendor?: [number, number]): RawAttribute => ({
  type,
  value: Buffer.isBuffer(value) ? value : Buffer.from(value),
  ...(vendor ? { vendorId: vendor[0], vendorType: vendor[1] } : {}),
});

const source = {
  attributes: [
    attr(1, Buffer.from('bob')),
    attr(2, Buffer.alloc(16, 1)),
    attr(40, [0, 0, 0, 3]),
    attr(49, [0, 0, 0, 99]),
    attr(5, [0, 0, 1]),
    attr(8, [10, 5, 50, 7]),
    attr(55, [0x65, 0x53, 0xf1, 0x00]),
    attr(95, Buffer.from('20010db8000000000000000000000001', 'hex')),
    attr(123, Buffer.from('003820010db8aabbcc', 'hex')),
    attr(25, Buffer.from('c1')),
    attr(25, Buffer.from('c2')),
    attr(26, Buffer.from('10M/20M'), [14988, 8]),
    attr(26, Buffer.from([1, 2, 3]), [9, 1]),
    attr(250, [0, 0, 0, 1, 0, 0, 0, 2]),
  ],
};

describe('attribute readers', () => {
  it('read typed values by name', () => {
    expect(getString(source, 'User-Name')).toBe('bob');
    expect(getInteger(source, 'Acct-Status-Type')).toBe(3);
    expect(getValueName(source, 'Acct-Status-Type')).toBe('Interim-Update');
    expect(getIpAddress(source, 'Framed-IP-Address')).toBe('10.5.50.7');
    expect(getDate(source, 'Event-Timestamp')?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(getIpv6Address(source, 'NAS-IPv6-Address')).toBe('2001:db8::1');
    expect(getIpv6Prefix(source, 'Delegated-IPv6-Prefix')).toBe('2001:db8:aabb:cc00::/56');
    expect(getString(source, 'Mikrotik-Rate-Limit')).toBe('10M/20M');
    expect(getValue(source, 'Acct-Status-Type')).toBe(3);
  });

  it('return every instance in order, and nothing for absent attributes', () => {
    expect(getAll(source, 'Class').map(String)).toEqual(['c1', 'c2']);
    expect(findAttributes(source, 'Class')).toHaveLength(2);
    expect(hasAttribute(source, 'State')).toBe(false);
    expect(getString(source, 'Reply-Message')).toBeUndefined();
  });

  it('read a value of the wrong length as undefined instead of garbage', () => {
    expect(getInteger(source, 'NAS-Port')).toBeUndefined();
    expect(getInteger64(source, 'NAS-Port')).toBeUndefined();
    expect(getValueName(source, 'Acct-Terminate-Cause')).toBeUndefined();
    expect(getIpAddress(source, 'User-Name')).toBeUndefined();
  });

  it('do not confuse a VSA code with the standard attribute of the same number', () => {
    expect(getString(source, 'Framed-IP-Address')).not.toBe('10M/20M');
    expect(getAll(source, 'Mikrotik-Rate-Limit')).toHaveLength(1);
  });

  it('read text only when it is UTF-8 without a NUL byte', () => {
    const named = (bytes: number[]) => ({ attributes: [attr(1, bytes)] });
    expect(getText(source, 'User-Name')).toEqual({ ok: true, text: 'bob' });
    expect(getText(named([0x6a, 0xc5, 0xbe]), 'User-Name')).toEqual({ ok: true, text: 'jž' });
    expect(getText(named([0x61, 0x00, 0x62]), 'User-Name')).toEqual({ ok: false, problem: 'nul_byte' });
    expect(getText(named([0x61, 0xc3, 0x28]), 'User-Name')).toEqual({ ok: false, problem: 'invalid_utf8' });
    expect(getText(named([0xed, 0xa0, 0x80]), 'User-Name')).toEqual({ ok: false, problem: 'invalid_utf8' });
    expect(getText(source, 'Reply-Message')).toBeUndefined();
  });

  it('describe attributes for logs without secrets', () => {
    expect(describeAttributes(source)).toEqual([
      { name: 'User-Name', value: '…(3)' },
      { name: 'User-Password', value: '<hidden>' },
      { name: 'Acct-Status-Type', value: 'Interim-Update' },
      { name: 'Acct-Terminate-Cause', value: '99' },
      { name: 'NAS-Port', value: '0x000001' },
      { name: 'Framed-IP-Address', value: '10.5.50.7' },
      { name: 'Event-Timestamp', value: '2023-11-14T22:13:20.000Z' },
      { name: 'NAS-IPv6-Address', value: '2001:db8::1' },
      { name: 'Delegated-IPv6-Prefix', value: '2001:db8:aabb:cc00::/56' },
      { name: 'Class', value: '0x6331' },
      { name: 'Class', value: '0x6332' },
      { name: 'Mikrotik-Rate-Limit', value: '10M/20M' },
      { name: 'Attr-9:1', value: '0x010203' },
      { name: 'Attr-250', value: '0x0000000100000002' },
    ]);
  });

  it('describe a voucher code in a User-Name masked, whatever its bytes', () => {
    const named = (value: Buffer) => describeAttributes({ attributes: [attr(1, value)] })[0]?.value;
    expect(named(Buffer.from('A9B2RQN7H'))).toBe('A9…(9)');
    expect(named(Buffer.from('A9B2\0RQN7H'))).toBe('<nul_byte, 10 bytes>');
  });
});
