// MPPE keys for MS-CHAPv2 logins: derivation (RFC 3079 §3.4) and the salted hiding of
// MS-MPPE-Send-Key / MS-MPPE-Recv-Key inside RADIUS replies (RFC 2548 §2.4.2, §2.4.3).
import { createHash, randomBytes } from 'node:crypto';
import { md5Cipher, type Secret } from './md5-cipher.ts';
import { md4 } from './md4.ts';

const MASTER_MAGIC = Buffer.from('This is the MPPE Master Key', 'ascii');
const CLIENT_SEND_MAGIC = Buffer.from(
  'On the client side, this is the send key; on the server side, it is the receive key.',
  'ascii',
);
const CLIENT_RECEIVE_MAGIC = Buffer.from(
  'On the client side, this is the receive key; on the server side, it is the send key.',
  'ascii',
);
const SHS_PAD1 = Buffer.alloc(40, 0x00);
const SHS_PAD2 = Buffer.alloc(40, 0xf2);

const sha1 = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha1')).digest();

/** GetMasterKey: SHA1(MD4(PasswordHash) + NT-Response + magic), first 16 bytes. */
export function mppeMasterKey(passwordHash: Buffer, ntResponse: Buffer): Buffer {
  return sha1(md4(passwordHash), ntResponse, MASTER_MAGIC).subarray(0, 16);
}

/** GetAsymmetricStartKey for one direction, seen from the given side. 16 bytes gives 128-bit keys. */
export function mppeStartKey(
  masterKey: Buffer,
  direction: 'send' | 'receive',
  side: 'server' | 'client',
  length = 16,
): Buffer {
  // The server's send key is the client's receive key, and vice versa.
  const clientSends = (direction === 'send') === (side === 'client');
  const magic = clientSends ? CLIENT_SEND_MAGIC : CLIENT_RECEIVE_MAGIC;
  return sha1(masterKey, SHS_PAD1, magic, SHS_PAD2).subarray(0, length);
}

/** The server's (NAS's) keys: MS-MPPE-Send-Key = server send key, MS-MPPE-Recv-Key = server receive key. */
export function mppeServerKeys(
  passwordHash: Buffer,
  ntResponse: Buffer,
): { sendKey: Buffer; recvKey: Buffer } {
  const master = mppeMasterKey(passwordHash, ntResponse);
  return {
    sendKey: mppeStartKey(master, 'send', 'server'),
    recvKey: mppeStartKey(master, 'receive', 'server'),
  };
}

/** A fresh 2-byte salt with its high bit set, as RFC 2548 requires. */
export function mppeSalt(): Buffer {
  const salt = randomBytes(2);
  salt[0] = (salt[0] ?? 0) | 0x80;
  return salt;
}

/**
 * Salt + MD5-chained encryption of (key length, key, zero padding to 16n), keyed with the
 * shared secret, the Request Authenticator of the request being answered, and the salt.
 */
export function encryptMppeKey(
  key: Buffer,
  secret: Secret,
  requestAuthenticator: Buffer,
  salt = mppeSalt(),
): Buffer {
  if (key.length > 255) throw new RangeError('MPPE key longer than 255 bytes');
  if (salt.length !== 2 || ((salt[0] ?? 0) & 0x80) === 0)
    throw new RangeError('MPPE salt must be 2 bytes, high bit set');
  const plain = Buffer.alloc(Math.ceil((key.length + 1) / 16) * 16);
  plain[0] = key.length;
  key.copy(plain, 1);
  const iv = Buffer.concat([requestAuthenticator, salt]);
  return Buffer.concat([salt, md5Cipher(plain, secret, iv, 'encrypt')]);
}

/** The clear key, or null when the value is malformed (bad salt, length, or key-length byte). */
export function decryptMppeKey(value: Buffer, secret: Secret, requestAuthenticator: Buffer): Buffer | null {
  if (value.length < 18 || (value.length - 2) % 16 !== 0 || ((value[0] ?? 0) & 0x80) === 0) return null;
  const iv = Buffer.concat([requestAuthenticator, value.subarray(0, 2)]);
  const plain = md5Cipher(value.subarray(2), secret, iv, 'decrypt');
  const length = plain[0] ?? 0;
  return length + 1 > plain.length ? null : Buffer.from(plain.subarray(1, 1 + length));
}
