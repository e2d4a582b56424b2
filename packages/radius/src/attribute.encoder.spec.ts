import { describe, expect, it } from 'vitest';
import { encodeAttributes } from './attribute.encoder.ts';
import type { AttributeDefinition } from './dictionary.types.ts';
import { decryptMppeKey } from './mppe.ts';
import { AttributeError, decodeValue, encodeValue } from './value.codec.ts';
import { decryptUserPassword } from './user-password.ts';

const hex = (buf: Buffer) => buf.toString('hex');
const context = { secret: 'secret', requestAuthenticator: Buffer.alloc(16, 9) };

describe('encodeAttributes', () => {
  it('frames standard attributes as type, length, value', () => {
    expect(hex(encodeAttributes([['User-Name', 'bob']]))).toBe('0105626f62');
    expect(hex(encodeAttributes([['Session-Timeout', 3600]]))).toBe('1b0600000e10');
    expect(hex(encodeAttributes([['Framed-IP-Address', '10.5.50.2']]))).toBe('08060a053202');
  });

  it('frames each VSA in its own Vendor-Specific attribute', () => {
    expect(hex(encodeAttributes([['Mikrotik-Rate-Limit', '2M/4M']]))).toBe('1a0d00003a8c0807324d2f344d');
    expect(hex(encodeAttributes([['MS-MPPE-Encryption-Policy', 'Encryption-Allowed']]))).toBe(
      '1a0c0000013707060000' + '0001',
    );
  });

  it('accepts value names, numbers and digit strings for enumerated integers', () => {
    const named = encodeAttributes([['Acct-Status-Type', 'Interim-Update']]);
    expect(named).toEqual(encodeAttributes([['Acct-Status-Type', 3]]));
    expect(encodeAttributes({ 'Acct-Status-Type': '3' as never })).toEqual(named);
    expect(() => encodeAttributes([['Acct-Status-Type', 'Sometimes' as never]])).toThrow(/known value name/);
  });

  it('treats the object form like the tuple form, repeating arrays and skipping undefined', () => {
    const fromObject = encodeAttributes({
      'Reply-Message': ['a', 'b'],
      'Idle-Timeout': 300,
      'Framed-Pool': undefined,
    });
    expect(fromObject).toEqual(
      encodeAttributes([
        ['Reply-Message', 'a'],
        ['Reply-Message', 'b'],
        ['Idle-Timeout', 300],
      ]),
    );
  });

  it('range-checks integers', () => {
    expect(hex(encodeAttributes([['Acct-Input-Octets', 0xffffffff]]))).toBe('2a06ffffffff');
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(() => encodeAttributes([['Acct-Input-Octets', bad]])).toThrow(AttributeError);
    }
  });

  it('rejects values that do not fit, naming the attribute', () => {
    expect(encodeAttributes([['Reply-Message', 'x'.repeat(253)]])).toHaveLength(255);
    expect(() => encodeAttributes([['Reply-Message', 'x'.repeat(254)]])).toThrow(
      'Reply-Message: is 254 bytes; at most 253 fit in an attribute',
    );
    expect(encodeAttributes([['Mikrotik-Address-List', 'x'.repeat(247)]])).toHaveLength(255);
    expect(() => encodeAttributes([['Mikrotik-Address-List', 'x'.repeat(248)]])).toThrow(/at most 247/);
    expect(() => encodeAttributes([['Filter-Id', '']])).toThrow(/empty/);
    expect(() => encodeAttributes([['NAS-IP-Address', '10.0.0']])).toThrow(/not an IPv4 address/);
  });

  it('refuses Message-Authenticator, which the packet encoder places itself', () => {
    expect(() => encodeAttributes([['Message-Authenticator', Buffer.alloc(16)]])).toThrow(/packet encoder/);
  });

  it('passes raw attributes through, including vendor ones', () => {
    expect(hex(encodeAttributes([{ type: 200, value: Buffer.from([1, 2]) }]))).toBe('c8040102');
    expect(hex(encodeAttributes([{ type: 26, vendorId: 9, vendorType: 1, value: Buffer.from('x') }]))).toBe(
      '1a0900000009010378',
    );
    expect(() => encodeAttributes([{ type: 0, value: Buffer.from('x') }])).toThrow(AttributeError);
  });

  it('hides User-Password with the request authenticator', () => {
    const encoded = encodeAttributes([['User-Password', 'hunter2']], context);
    expect(encoded.subarray(0, 2)).toEqual(Buffer.from([2, 18]));
    expect(decryptUserPassword(encoded.subarray(2), 'secret', context.requestAuthenticator)?.toString()).toBe(
      'hunter2',
    );
    expect(() => encodeAttributes([['User-Password', 'hunter2']])).toThrow(/only Access-Request or a reply/);
  });

  it('salt-encrypts MS-MPPE keys with distinct salts', () => {
    const key = Buffer.alloc(16, 0xab);
    const encoded = encodeAttributes(
      [
        ['MS-MPPE-Send-Key', key],
        ['MS-MPPE-Recv-Key', key],
      ],
      context,
    );
    // Each: 26, 42, vendor 311, type, 36, salt(2) + 32 bytes.
    const send = encoded.subarray(8, 42);
    const recv = encoded.subarray(42 + 8, 84);
    expect(send.subarray(0, 2)).not.toEqual(recv.subarray(0, 2));
    expect(decryptMppeKey(send, 'secret', context.requestAuthenticator)).toEqual(key);
    expect(decryptMppeKey(recv, 'secret', context.requestAuthenticator)).toEqual(key);
  });

  it('encodes IPv6 prefixes and dates', () => {
    expect(hex(encodeAttributes([['Delegated-IPv6-Prefix', '2001:db8:aa00::/40']]))).toBe(
      '7b09002820010db8aa',
    );
    const when = new Date('2024-07-09T00:00:00Z');
    expect(encodeAttributes([['Event-Timestamp', when]])).toEqual(
      encodeAttributes([['Event-Timestamp', when.getTime() / 1000]]),
    );
  });
});

describe('integer64 values', () => {
  const definition: AttributeDefinition = { name: 'Test-Counter64', code: 241, dataType: 'integer64' };

  it('encodes bigint, safe numbers and digit strings as 8 big-endian bytes', () => {
    expect(hex(encodeValue(definition, 2n ** 40n + 5n))).toBe('0000010000000005');
    expect(hex(encodeValue(definition, 6_000_000_000))).toBe('0000000165a0bc00');
    expect(hex(encodeValue(definition, '18446744073709551615'))).toBe('ffffffffffffffff');
    expect(decodeValue('integer64', Buffer.from('0000010000000005', 'hex'))).toBe(2n ** 40n + 5n);
  });

  it('rejects values outside 0..2^64-1 and unsafe numbers', () => {
    expect(() => encodeValue(definition, -1n)).toThrow(AttributeError);
    expect(() => encodeValue(definition, 2n ** 64n)).toThrow(AttributeError);
    expect(() => encodeValue(definition, 2 ** 60)).toThrow(AttributeError);
  });
});
