import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptUserPassword, encryptUserPassword } from './user-password.ts';

const secret = 'xyzzy5461';
const authenticator = Buffer.from('0f403f9473978057bd83d5cb98f4227a', 'hex');

describe('User-Password hiding (RFC 2865 §5.2)', () => {
  it('XORs the first block with MD5(secret + Request Authenticator)', () => {
    const hidden = encryptUserPassword('arctangent', secret, authenticator);
    const pad = createHash('md5').update(secret).update(authenticator).digest();
    const clear = Buffer.alloc(16);
    Buffer.from('arctangent').copy(clear);
    expect(hidden).toEqual(Buffer.from(clear.map((b, i) => b ^ (pad[i] ?? 0))));
  });

  it('chains later blocks on the previous ciphertext block', () => {
    const password = 'a'.repeat(20);
    const hidden = encryptUserPassword(password, secret, authenticator);
    expect(hidden).toHaveLength(32);
    const pad2 = createHash('md5').update(secret).update(hidden.subarray(0, 16)).digest();
    expect(hidden[16]! ^ pad2[0]!).toBe('a'.charCodeAt(0));
    expect(hidden[20]! ^ pad2[4]!).toBe(0);
  });

  it.each([0, 1, 15, 16, 17, 31, 32, 33, 100, 127, 128])('round-trips a %i-byte password', (length) => {
    const password = Buffer.from(Array.from({ length }, (_, i) => 0x21 + (i % 90)));
    const hidden = encryptUserPassword(password, secret, authenticator);
    expect(hidden.length).toBe(Math.max(16, Math.ceil(length / 16) * 16));
    expect(decryptUserPassword(hidden, secret, authenticator)).toEqual(password);
  });

  it('round-trips UTF-8 passwords', () => {
    const hidden = encryptUserPassword('Ñandú-密码', secret, authenticator);
    expect(decryptUserPassword(hidden, secret, authenticator)?.toString('utf8')).toBe('Ñandú-密码');
  });

  it('refuses passwords over 128 bytes', () => {
    expect(() => encryptUserPassword('x'.repeat(129), secret, authenticator)).toThrow(RangeError);
  });

  it.each([0, 8, 15, 17, 144])('returns null for a %i-byte hidden value', (length) => {
    expect(decryptUserPassword(Buffer.alloc(length), secret, authenticator)).toBeNull();
  });

  it('yields a different password under the wrong secret', () => {
    const hidden = encryptUserPassword('arctangent', secret, authenticator);
    expect(decryptUserPassword(hidden, 'wrong', authenticator)?.toString()).not.toBe('arctangent');
  });
});
