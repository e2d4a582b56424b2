// Differential checks against the `radius` npm package (1.1.4): where it is right, we must agree
// byte for byte; where it is wrong (Message-Authenticator on signed requests), we document it.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import radius from 'radius';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getString, getValueName, getAll } from './attribute.reader.ts';
import { verifyAccountingRequestAuthenticator } from './authenticator.ts';
import { Code } from './codes.ts';
import { getUserPassword } from './credentials.ts';
import { allAttributeDefinitions } from './dictionary.ts';
import { Vendor } from './dictionary.vendors.ts';
import { verifyMessageAuthenticator } from './message-authenticator.ts';
import { encodeRequest, encodeResponse } from './packet.encoder.ts';
import { verifyResponse } from './response.verifier.ts';
import { decodeFixture as decode } from './testing/packet-fixtures.ts';

const secret = 'testing123';
const authenticator = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');

const dictionaryDir = mkdtempSync(join(tmpdir(), 'kasi-radius-'));

beforeAll(() => {
  // The package ships no MikroTik dictionary; give it one written from ours so VSA framing can be compared.
  const lines = ['VENDOR Mikrotik 14988', 'BEGIN-VENDOR Mikrotik'];
  for (const d of allAttributeDefinitions().filter((a) => a.vendorId === Vendor.Mikrotik)) {
    lines.push(`ATTRIBUTE ${d.name} ${d.code} ${d.dataType}`);
  }
  lines.push('END-VENDOR Mikrotik');
  const file = join(dictionaryDir, 'dictionary.mikrotik');
  writeFileSync(file, lines.join('\n'));
  radius.add_dictionary(file);
});

// The package reads its dictionaries on first use, which happens inside the specs below.
afterAll(() => rmSync(dictionaryDir, { recursive: true, force: true }));

describe('Access-Request', () => {
  const attributes = [
    ['User-Name', 'KASI-7QF2'],
    ['User-Password', 'a-password-longer-than-sixteen-bytes'],
    ['NAS-IP-Address', '192.168.88.1'],
    ['NAS-Port', 7],
  ] as const;

  it('encodes byte for byte like the package, User-Password included', () => {
    const ours = encodeRequest({
      code: Code.AccessRequest,
      identifier: 9,
      secret,
      authenticator,
      attributes,
    });
    const theirs = radius.encode({
      code: 'Access-Request',
      identifier: 9,
      authenticator,
      secret,
      attributes: attributes.map(([n, v]) => [n, v]),
    });
    expect(ours).toEqual(theirs);
  });

  it('decodes the same values as the package', () => {
    const raw = encodeRequest({ code: Code.AccessRequest, identifier: 9, secret, attributes });
    const theirs = radius.decode({ packet: raw, secret });
    const ours = decode(raw);
    expect(getUserPassword(ours, secret)?.toString()).toBe(theirs.attributes['User-Password']);
    expect(getString(ours, 'User-Name')).toBe(theirs.attributes['User-Name']);
    expect(theirs.attributes['NAS-IP-Address']).toBe('192.168.88.1');
  });

  it('produces a Message-Authenticator the package accepts', () => {
    const raw = encodeRequest({
      code: Code.AccessRequest,
      identifier: 9,
      secret,
      attributes,
      messageAuthenticator: true,
    });
    expect(() => radius.decode({ packet: raw, secret })).not.toThrow();
    expect(() => radius.decode({ packet: raw, secret: 'wrong' })).toThrow(/Message-Authenticator mismatch/);
  });

  it('accepts an Access-Request signed by the package', () => {
    const raw = radius.encode({
      code: 'Access-Request',
      identifier: 1,
      secret,
      attributes: [
        ['User-Name', 'x'],
        ['EAP-Message', Buffer.from([2, 1, 0, 4])],
      ],
    });
    expect(verifyMessageAuthenticator(decode(raw), secret)).toBe('valid');
  });
});

describe('replies', () => {
  it('builds Access-Accepts the package verifies, Message-Authenticator first', () => {
    const request = radius.encode({
      code: 'Access-Request',
      identifier: 42,
      secret,
      add_message_authenticator: true,
      attributes: [
        ['User-Name', 'bob'],
        ['Proxy-State', Buffer.from('ps')],
      ],
    });
    const decoded = decode(request);
    const reply = encodeResponse({
      code: Code.AccessAccept,
      identifier: 42,
      requestAuthenticator: decoded.authenticator,
      secret,
      attributes: [
        ['Session-Timeout', 600],
        ['Mikrotik-Rate-Limit', '2M/4M'],
      ],
      proxyStates: getAll(decoded, 'Proxy-State'),
    });
    expect(radius.verify_response({ request, response: reply, secret })).toBe(true);
    const theirs = radius.decode({ packet: reply, secret });
    expect(theirs.attributes['Session-Timeout']).toBe(600);
    expect((theirs.attributes['Vendor-Specific'] as Record<string, unknown>)['Mikrotik-Rate-Limit']).toBe(
      '2M/4M',
    );
    expect(theirs.attributes['Proxy-State']).toEqual(Buffer.from('ps'));
  });

  it('verifies replies built by the package', () => {
    const request = encodeRequest({
      code: Code.AccessRequest,
      identifier: 5,
      secret,
      attributes: [['User-Name', 'a']],
    });
    const reply = radius.encode_response({
      packet: radius.decode({ packet: request, secret }),
      code: 'Access-Reject',
      secret,
      attributes: [['Reply-Message', 'no']],
    });
    const verified = verifyResponse(reply, request.subarray(4, 20), secret);
    expect(verified.ok && getString(verified.packet, 'Reply-Message')).toBe('no');
  });

  it('decodes several MikroTik sub-attributes the package packs into one Vendor-Specific', () => {
    const raw = radius.encode({
      code: 'Access-Accept',
      identifier: 1,
      secret,
      authenticator,
      attributes: [
        [
          'Vendor-Specific',
          'Mikrotik',
          [
            ['Mikrotik-Rate-Limit', '1M/2M'],
            ['Mikrotik-Group', 'gold'],
          ],
        ],
      ],
    });
    expect(raw.readUInt8(20)).toBe(26);
    const ours = decode(raw);
    expect(ours.attributes).toHaveLength(2);
    expect(getString(ours, 'Mikrotik-Rate-Limit')).toBe('1M/2M');
    expect(getString(ours, 'Mikrotik-Group')).toBe('gold');
  });
});

describe('Accounting-Request', () => {
  const attributes = [
    ['Acct-Status-Type', 'Interim-Update'],
    ['Acct-Session-Id', '81a00004'],
    ['Acct-Input-Octets', 123456],
    ['Framed-IP-Address', '10.5.50.7'],
  ] as const;

  it('computes the same Request Authenticator as the package', () => {
    const ours = encodeRequest({ code: Code.AccountingRequest, identifier: 3, secret, attributes });
    const theirs = radius.encode({
      code: 'Accounting-Request',
      identifier: 3,
      secret,
      attributes: attributes.map(([n, v]) => [n, v]),
    });
    expect(ours).toEqual(theirs);
    expect(verifyAccountingRequestAuthenticator(decode(theirs), secret)).toBe(true);
    expect(radius.decode({ packet: ours, secret }).attributes['Acct-Status-Type']).toBe('Interim-Update');
    expect(getValueName(decode(ours), 'Acct-Status-Type')).toBe('Interim-Update');
  });

  it('documents the package bug: it signs Message-Authenticator over the real authenticator (RFC 5176 §3.4 zeroes it)', () => {
    const theirs = radius.encode({
      code: 'Accounting-Request',
      identifier: 3,
      secret,
      add_message_authenticator: true,
      attributes: attributes.map(([n, v]) => [n, v]),
    });
    const theirPacket = decode(theirs);
    const ma = theirs.subarray(theirs.length - 16);
    const withZeroMa = Buffer.concat([theirs.subarray(0, theirs.length - 16), Buffer.alloc(16)]);
    // What the package computed: HMAC with the real authenticator, and an authenticator that predates the HMAC.
    expect(ma).toEqual(createHmac('md5', secret).update(withZeroMa).digest());
    expect(verifyMessageAuthenticator(theirPacket, secret)).toBe('invalid');
    expect(verifyAccountingRequestAuthenticator(theirPacket, secret)).toBe(false);
    expect(() => radius.decode({ packet: theirs, secret })).toThrow(/authenticator mismatch/);

    const ours = encodeRequest({
      code: Code.AccountingRequest,
      identifier: 3,
      secret,
      attributes,
      messageAuthenticator: true,
    });
    expect(verifyMessageAuthenticator(decode(ours), secret)).toBe('valid');
    expect(verifyAccountingRequestAuthenticator(decode(ours), secret)).toBe(true);
    // And it rejects correct packets.
    expect(() => radius.decode({ packet: ours, secret })).toThrow(/Message-Authenticator mismatch/);
  });
});
