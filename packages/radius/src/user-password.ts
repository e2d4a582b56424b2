// PAP: the User-Password attribute hidden with the shared secret and Request Authenticator
// (RFC 2865 §5.2). Passwords are padded with NULs to a 16-byte multiple, 128 bytes at most.
import { md5Cipher, type Secret } from './md5-cipher.ts';

export const MAX_PASSWORD_LENGTH = 128;

export function encryptUserPassword(
  password: string | Buffer,
  secret: Secret,
  requestAuthenticator: Buffer,
): Buffer {
  const clear = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (clear.length > MAX_PASSWORD_LENGTH) {
    throw new RangeError(`User-Password is ${clear.length} bytes; RFC 2865 allows ${MAX_PASSWORD_LENGTH}`);
  }
  const padded = Buffer.alloc(Math.max(16, Math.ceil(clear.length / 16) * 16));
  clear.copy(padded);
  return md5Cipher(padded, secret, requestAuthenticator, 'encrypt');
}

/** The clear password with its NUL padding removed, or null when the length cannot be a User-Password. */
export function decryptUserPassword(
  encrypted: Buffer,
  secret: Secret,
  requestAuthenticator: Buffer,
): Buffer | null {
  if (encrypted.length < 16 || encrypted.length > MAX_PASSWORD_LENGTH || encrypted.length % 16 !== 0)
    return null;
  const clear = md5Cipher(encrypted, secret, requestAuthenticator, 'decrypt');
  let end = clear.length;
  while (end > 0 && clear[end - 1] === 0) end--;
  return clear.subarray(0, end);
}
