import { describe, expect, it } from 'vitest';
import { Code } from './codes.ts';
import {
  getAll,
  getAttribute,
  getDate,
  getInteger,
  getIpAddress,
  getString,
  getValueName,
  describeAttributes,
} from './attribute.reader.ts';
import { getUserPassword } from './credentials.ts';
import { encodeRequest } from './packet.encoder.ts';
import { decodePacket } from './packet.decoder.ts';

/** A packet from raw attribute bytes, with a correct Length unless one is given. */
function packet(attributes: number[], options: { code?: number; length?: number } = {}): Buffer {
  const body = Buffer.from(attributes);
  const out = Buffer.alloc(20 + body.length);
  out[0] = options.code ?? Code.AccessRequest;
  out[1] = 42;
  out.writeUInt16BE(options.length ?? out.length, 2);
  body.copy(out, 20);
  return out;
}

const reason = (buf: Buffer) => {
  const result = decodePacket(buf);
  return result.ok ? 'ok' : result.reason;
};

describe('decodePacket', () => {
  it('round-trips an Access-Request built by encodeRequest', () => {
    const raw = encodeRequest({
      code: Code.AccessRequest,
      identifier: 7,
      secret: 's3cret',
      attributes: [
        ['User-Name', 'KASI-7QF2'],
        ['User-Password', 'pass word'],
        ['NAS-IP-Address', '10.0.0.1'],
        ['NAS-Port', 15728640],
        ['Service-Type', 'Framed-User'],
        ['Event-Timestamp', new Date('2025-01-02T03:04:05Z')],
        ['Mikrotik-Realm', 'hotspot1'],
        ['Mikrotik-Host-IP', '10.5.50.9'],
        ['Proxy-State', Buffer.from('one')],
        ['Proxy-State', Buffer.from('two')],
      ],
    });
    const result = decodePacket(raw);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { packet: p } = result;
    expect(p).toMatchObject({ code: 1, identifier: 7 });
    expect(p.authenticator).toEqual(raw.subarray(4, 20));
    expect(p.raw).toEqual(raw);
    expect(getString(p, 'User-Name')).toBe('KASI-7QF2');
    expect(getUserPassword(p, 's3cret')?.toString()).toBe('pass word');
    expect(getIpAddress(p, 'NAS-IP-Address')).toBe('10.0.0.1');
    expect(getInteger(p, 'NAS-Port')).toBe(15728640);
    expect(getValueName(p, 'Service-Type')).toBe('Framed-User');
    expect(getDate(p, 'Event-Timestamp')?.toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(getString(p, 'Mikrotik-Realm')).toBe('hotspot1');
    expect(getIpAddress(p, 'Mikrotik-Host-IP')).toBe('10.5.50.9');
    expect(getAll(p, 'Proxy-State').map(String)).toEqual(['one', 'two']);
    expect(getAttribute(p, 'Framed-IP-Address')).toBeUndefined();
  });

  it('splits one Vendor-Specific attribute holding several sub-attributes', () => {
    // Vendor-Specific, vendor 14988: Rate-Limit "10M", Group "gold1", and an empty Recv-Limit.
    const vsa = [26, 20, 0, 0, 0x3a, 0x8c, 8, 5, 0x31, 0x30, 0x4d, 3, 7, 0x67, 0x6f, 0x6c, 0x64, 0x31, 1, 2];
    const result = decodePacket(packet(vsa));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.packet.attributes).toEqual([
      { type: 26, vendorId: 14988, vendorType: 8, value: Buffer.from('10M') },
      { type: 26, vendorId: 14988, vendorType: 3, value: Buffer.from('gold1') },
      { type: 26, vendorId: 14988, vendorType: 1, value: Buffer.alloc(0) },
    ]);
    expect(getString(result.packet, 'Mikrotik-Rate-Limit')).toBe('10M');
    expect(getString(result.packet, 'Mikrotik-Group')).toBe('gold1');
  });

  it('keeps VSAs of vendors it does not know, with their vendor id', () => {
    const result = decodePacket(packet([26, 9, 0, 0, 0x0d, 0xac, 5, 3, 0x41]));
    expect(result.ok && result.packet.attributes).toEqual([
      { type: 26, vendorId: 3500, vendorType: 5, value: Buffer.from('A') },
    ]);
    expect(result.ok && describeAttributes(result.packet)).toEqual([{ name: 'Attr-3500:5', value: '0x41' }]);
  });

  it('ignores datagram bytes beyond the header Length (RFC 2865 §3)', () => {
    const raw = Buffer.concat([packet([1, 5, 0x61, 0x62, 0x63]), Buffer.from([0xde, 0xad, 0xbe])]);
    const result = decodePacket(raw);
    expect(result.ok && result.packet.raw.length).toBe(25);
    expect(result.ok && getString(result.packet, 'User-Name')).toBe('abc');
  });

  it('accepts a packet with no attributes and one of exactly 4096 bytes', () => {
    expect(reason(packet([]))).toBe('ok');
    const filler = Array.from({ length: 4076 / 254 }, () => [
      25,
      254,
      ...new Array<number>(252).fill(7),
    ]).flat();
    const big = packet([
      ...filler,
      25,
      4076 - filler.length,
      ...new Array<number>(4076 - filler.length - 2).fill(1),
    ]);
    expect(big.length).toBe(4096);
    expect(reason(big)).toBe('ok');
  });

  it.each([
    ['an empty datagram', Buffer.alloc(0), 'too_short'],
    ['19 bytes', Buffer.alloc(19, 1), 'too_short'],
    ['a Length below 20', packet([], { length: 19 }), 'too_short'],
    ['a Length above 4096', packet([], { length: 4097 }), 'too_long'],
    ['a Length beyond the datagram', packet([1, 3, 0x61], { length: 30 }), 'length_mismatch'],
    ['an unknown code', packet([], { code: 6 }), 'unknown_code'],
    ['code 0', packet([], { code: 0 }), 'unknown_code'],
    ['an attribute of length 0', packet([1, 0, 0x61]), 'bad_attribute_length'],
    ['an attribute of length 1', packet([1, 1, 0x61]), 'bad_attribute_length'],
    ['an attribute running past the end', packet([1, 5, 0x61, 0x62]), 'attribute_overrun'],
    ['a lone type byte at the end', packet([1, 3, 0x61, 18]), 'attribute_overrun'],
    ['a VSA with only a vendor id', packet([26, 6, 0, 0, 0x3a, 0x8c]), 'bad_vsa'],
    ['a VSA shorter than a vendor id', packet([26, 4, 0, 0]), 'bad_vsa'],
    ['a VSA whose vendor id high octet is set', packet([26, 9, 1, 0, 0x3a, 0x8c, 8, 3, 0x31]), 'bad_vsa'],
    ['a VSA sub-attribute of length 1', packet([26, 9, 0, 0, 0x3a, 0x8c, 8, 1, 0x31]), 'bad_vsa'],
    ['a VSA sub-attribute overrunning', packet([26, 9, 0, 0, 0x3a, 0x8c, 8, 4, 0x31]), 'bad_vsa'],
    ['a VSA with a stray trailing byte', packet([26, 10, 0, 0, 0x3a, 0x8c, 8, 3, 0x31, 9]), 'bad_vsa'],
  ])('rejects %s', (_label, raw, expected) => {
    expect(reason(raw)).toBe(expected);
  });

  it('does not throw on non-Buffer input', () => {
    expect(reason(undefined as unknown as Buffer)).toBe('too_short');
    expect(reason('not a packet' as unknown as Buffer)).toBe('too_short');
  });
});
