import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Code, codeName, isKnownCode, isRequestCode, isResponseCode } from './codes.ts';
import {
  allAttributeDefinitions,
  attributeDefinition,
  findAttributeByCode,
  findAttributeByName,
  valueName,
  valueNumber,
} from './dictionary.ts';
import { Vendor } from './dictionary.vendors.ts';

describe('Code', () => {
  it('has the RFC 2865/2866/5176/5997 numbers', () => {
    expect(Code).toEqual({
      AccessRequest: 1,
      AccessAccept: 2,
      AccessReject: 3,
      AccountingRequest: 4,
      AccountingResponse: 5,
      AccessChallenge: 11,
      StatusServer: 12,
      DisconnectRequest: 40,
      DisconnectAck: 41,
      DisconnectNak: 42,
      CoaRequest: 43,
      CoaAck: 44,
      CoaNak: 45,
    });
    expect(codeName(43)).toBe('CoaRequest');
    expect(isKnownCode(6)).toBe(false);
  });

  it('sorts codes into requests and replies', () => {
    const requests = [1, 4, 12, 40, 43];
    for (const code of Object.values(Code)) {
      expect(isRequestCode(code)).toBe(requests.includes(code));
      expect(isResponseCode(code)).toBe(!requests.includes(code));
    }
  });
});

describe('dictionary', () => {
  it.each([
    ['User-Name', 1, 'string'],
    ['User-Password', 2, 'string'],
    ['CHAP-Password', 3, 'octets'],
    ['NAS-IP-Address', 4, 'ipaddr'],
    ['Framed-IP-Address', 8, 'ipaddr'],
    ['Filter-Id', 11, 'string'],
    ['Framed-Route', 22, 'string'],
    ['State', 24, 'octets'],
    ['Class', 25, 'octets'],
    ['Session-Timeout', 27, 'integer'],
    ['Proxy-State', 33, 'octets'],
    ['Acct-Session-Id', 44, 'string'],
    ['Acct-Multi-Session-Id', 50, 'string'],
    ['Acct-Input-Gigawords', 52, 'integer'],
    ['Acct-Output-Gigawords', 53, 'integer'],
    ['Event-Timestamp', 55, 'date'],
    ['CHAP-Challenge', 60, 'octets'],
    ['Port-Limit', 62, 'integer'],
    ['Message-Authenticator', 80, 'octets'],
    ['Acct-Interim-Interval', 85, 'integer'],
    ['NAS-Port-Id', 87, 'string'],
    ['Framed-Pool', 88, 'string'],
    ['Error-Cause', 101, 'integer'],
    ['Delegated-IPv6-Prefix', 123, 'ipv6prefix'],
  ] as const)('defines %s as %i (%s)', (name, code, dataType) => {
    expect(attributeDefinition(name)).toMatchObject({ name, code, dataType });
    expect(attributeDefinition(name).vendorId).toBeUndefined();
  });

  it('has every MikroTik attribute from the RouterOS table', () => {
    const expected = [
      'Recv-Limit',
      'Xmit-Limit',
      'Group',
      'Wireless-Forward',
      'Wireless-Skip-Dot1x',
      'Wireless-Enc-Algo',
      'Wireless-Enc-Key',
      'Rate-Limit',
      'Realm',
      'Host-IP',
      'Mark-Id',
      'Advertise-URL',
      'Advertise-Interval',
      'Recv-Limit-Gigawords',
      'Xmit-Limit-Gigawords',
      'Wireless-PSK',
      'Total-Limit',
      'Total-Limit-Gigawords',
      'Address-List',
      'Wireless-MPKey',
      'Wireless-Comment',
      'Delegated-IPv6-Pool',
    ];
    expected.forEach((suffix, i) => {
      expect(findAttributeByName(`Mikrotik-${suffix}`)).toMatchObject({
        code: i + 1,
        vendorId: Vendor.Mikrotik,
      });
    });
    expect(attributeDefinition('Mikrotik-Host-IP').dataType).toBe('ipaddr');
    expect(attributeDefinition('Mikrotik-Total-Limit').dataType).toBe('integer');
  });

  it.each([
    ['MS-CHAP-Error', 2],
    ['MS-MPPE-Encryption-Policy', 7],
    ['MS-MPPE-Encryption-Types', 8],
    ['MS-CHAP-Challenge', 11],
    ['MS-MPPE-Send-Key', 16],
    ['MS-MPPE-Recv-Key', 17],
    ['MS-CHAP2-Response', 25],
    ['MS-CHAP2-Success', 26],
  ] as const)('defines Microsoft %s as 311/%i', (name, code) => {
    expect(attributeDefinition(name)).toMatchObject({ code, vendorId: 311 });
  });

  it('marks the values it must hide', () => {
    expect(attributeDefinition('User-Password').encrypt).toBe('user-password');
    expect(attributeDefinition('MS-MPPE-Send-Key').encrypt).toBe('salted');
    expect(attributeDefinition('MS-MPPE-Recv-Key').encrypt).toBe('salted');
  });

  it('has no two attributes on the same wire code', () => {
    const keys = allAttributeDefinitions().map((d) => `${d.vendorId ?? 0}:${d.code}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('finds attributes by wire code', () => {
    expect(findAttributeByCode(8, Vendor.Mikrotik)?.name).toBe('Mikrotik-Rate-Limit');
    expect(findAttributeByCode(8)?.name).toBe('Framed-IP-Address');
    expect(findAttributeByCode(250)).toBeUndefined();
  });

  it('names enumerated values both ways', () => {
    const status = attributeDefinition('Acct-Status-Type');
    expect([1, 2, 3, 7, 8].map((n) => valueName(status, n))).toEqual([
      'Start',
      'Stop',
      'Interim-Update',
      'Accounting-On',
      'Accounting-Off',
    ]);
    const cause = attributeDefinition('Acct-Terminate-Cause');
    expect(valueNumber(cause, 'Lost-Carrier')).toBe(2);
    expect(valueNumber(cause, 'Admin-Reset')).toBe(6);
    expect(valueName(cause, 18)).toBe('Host-Request');
    const error = attributeDefinition('Error-Cause');
    expect(valueName(error, 503)).toBe('Session-Context-Not-Found');
    expect(valueNumber(error, 'Residual-Session-Context-Removed')).toBe(201);
    expect(valueName(status, 99)).toBeUndefined();
  });

  it('throws on a name outside the dictionary', () => {
    expect(() => attributeDefinition('No-Such-Thing' as never)).toThrow(/Unknown RADIUS attribute/);
  });
});

// The `radius` npm package ships FreeRADIUS-style RFC dictionaries: an independent copy to check ours against.
const dictionaryDir = join(
  dirname(createRequire(import.meta.url).resolve('radius/package.json')),
  'dictionaries',
);

describe('dictionary agrees with the package’s RFC dictionaries', () => {
  const theirs = new Map<number, string>();
  const theirValues = new Map<string, number>();
  for (const file of readdirSync(dictionaryDir)) {
    let vendor = false;
    for (const line of readFileSync(join(dictionaryDir, file), 'ascii').split('\n')) {
      const [kind, a, b, c] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (kind === 'BEGIN-VENDOR') vendor = true;
      if (kind === 'END-VENDOR') vendor = false;
      if (vendor) continue;
      if (kind === 'ATTRIBUTE' && a && b) theirs.set(Number(b), a);
      if (kind === 'VALUE' && a && b && c) theirValues.set(`${a}/${b}`, Number(c));
    }
  }

  it('names every standard code the package also knows the same way', () => {
    const ours = allAttributeDefinitions().filter((d) => d.vendorId === undefined && theirs.has(d.code));
    expect(ours.length).toBeGreaterThan(60);
    for (const d of ours) expect(`${d.code} ${theirs.get(d.code)}`).toBe(`${d.code} ${d.name}`);
  });

  it('gives every shared value name the same number', () => {
    let compared = 0;
    for (const d of allAttributeDefinitions()) {
      for (const [name, number] of Object.entries(d.values ?? {})) {
        const other = theirValues.get(`${d.name}/${name}`);
        if (other === undefined) continue;
        compared++;
        expect(`${d.name}/${name}=${other}`).toBe(`${d.name}/${name}=${number}`);
      }
    }
    expect(compared).toBeGreaterThan(80);
  });
});
