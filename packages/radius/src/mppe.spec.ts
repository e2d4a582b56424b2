import { describe, expect, it } from 'vitest';
import { decryptMppeKey, encryptMppeKey, mppeMasterKey, mppeServerKeys, mppeStartKey } from './mppe.ts';
import { ntPasswordHash } from './mschapv2.ts';
import { md5Cipher } from './md5-cipher.ts';

const hex = (text: string) => Buffer.from(text.replaceAll(' ', ''), 'hex');

// RFC 3079 §3.5.3 "Sample Key Derivations" (128-bit keys, the RFC 2759 §9.2 login).
const passwordHash = ntPasswordHash('clientPass');
const ntResponse = hex('82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF');

describe('MPPE key derivation (RFC 3079)', () => {
  it('derives the MasterKey', () => {
    expect(mppeMasterKey(passwordHash, ntResponse)).toEqual(hex('FDECE3717A8C838CB388E527AE3CDD31'));
  });

  it('derives SendStartKey128 for the server, which is the client receive key', () => {
    const master = mppeMasterKey(passwordHash, ntResponse);
    expect(mppeStartKey(master, 'send', 'server')).toEqual(hex('8B7CDC149B993A1BA118CB153F56DCCB'));
    expect(mppeStartKey(master, 'receive', 'client')).toEqual(hex('8B7CDC149B993A1BA118CB153F56DCCB'));
    expect(mppeStartKey(master, 'receive', 'server')).toEqual(mppeStartKey(master, 'send', 'client'));
    expect(mppeStartKey(master, 'receive', 'server')).not.toEqual(mppeStartKey(master, 'send', 'server'));
  });

  it('gives 40/56-bit keys as prefixes of the SHA-1 output', () => {
    const master = mppeMasterKey(passwordHash, ntResponse);
    expect(mppeStartKey(master, 'send', 'server', 8)).toEqual(hex('8B7CDC149B993A1B'));
  });

  it('returns 16-byte server keys', () => {
    const keys = mppeServerKeys(passwordHash, ntResponse);
    expect(keys.sendKey).toHaveLength(16);
    expect(keys.recvKey).toHaveLength(16);
  });
});

describe('MS-MPPE key salt encryption (RFC 2548 §2.4.2)', () => {
  const secret = 'testing123';
  const requestAuthenticator = hex('000102030405060708090a0b0c0d0e0f');
  const key = hex('8B7CDC149B993A1BA118CB153F56DCCB');

  it('lays out salt + encrypted (length, key, padding) and round-trips', () => {
    const salt = hex('8123');
    const value = encryptMppeKey(key, secret, requestAuthenticator, salt);
    expect(value).toHaveLength(2 + 32);
    expect(value.subarray(0, 2)).toEqual(salt);
    expect(decryptMppeKey(value, secret, requestAuthenticator)).toEqual(key);
  });

  it('keys the first block with secret + request authenticator + salt', () => {
    const salt = hex('8123');
    const value = encryptMppeKey(key, secret, requestAuthenticator, salt);
    const plain = md5Cipher(
      value.subarray(2),
      secret,
      Buffer.concat([requestAuthenticator, salt]),
      'decrypt',
    );
    expect(plain[0]).toBe(16);
    expect(plain.subarray(1, 17)).toEqual(key);
    expect(plain.subarray(17)).toEqual(Buffer.alloc(15));
  });

  it('uses a random salt with the high bit set', () => {
    const salts = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const value = encryptMppeKey(key, secret, requestAuthenticator);
      expect((value[0] ?? 0) & 0x80).toBe(0x80);
      salts.add(value.subarray(0, 2).toString('hex'));
    }
    expect(salts.size).toBeGreaterThan(40);
  });

  it('does not decrypt with another secret or authenticator', () => {
    const value = encryptMppeKey(key, secret, requestAuthenticator);
    expect(decryptMppeKey(value, 'other', requestAuthenticator)).not.toEqual(key);
    expect(decryptMppeKey(value, secret, Buffer.alloc(16))).not.toEqual(key);
  });

  it('returns null for malformed values', () => {
    const value = encryptMppeKey(key, secret, requestAuthenticator);
    expect(decryptMppeKey(value.subarray(0, 17), secret, requestAuthenticator)).toBeNull();
    expect(decryptMppeKey(value.subarray(0, 33), secret, requestAuthenticator)).toBeNull();
    expect(
      decryptMppeKey(Buffer.concat([hex('0123'), value.subarray(2)]), secret, requestAuthenticator),
    ).toBeNull();
  });

  it('refuses salts without the high bit', () => {
    expect(() => encryptMppeKey(key, secret, requestAuthenticator, hex('0123'))).toThrow(RangeError);
  });
});
