// The MD5 keystream RADIUS uses to hide values: b1 = MD5(secret + iv), bi = MD5(secret + c(i-1)),
// c(i) = p(i) XOR b(i). User-Password (RFC 2865 §5.2) and MS-MPPE keys (RFC 2548 §2.4.2) share it.
import { createHash } from 'node:crypto';

export type Secret = string | Buffer;

export const secretBytes = (secret: Secret): Buffer =>
  typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;

/** data.length must be a multiple of 16; returns a new buffer. */
export function md5Cipher(
  data: Buffer,
  secret: Secret,
  iv: Buffer,
  direction: 'encrypt' | 'decrypt',
): Buffer {
  const key = secretBytes(secret);
  const out = Buffer.alloc(data.length);
  let chain = iv;
  for (let offset = 0; offset < data.length; offset += 16) {
    const pad = createHash('md5').update(key).update(chain).digest();
    for (let i = 0; i < 16; i++) out[offset + i] = (data[offset + i] ?? 0) ^ (pad[i] ?? 0);
    // The chain is always the ciphertext block, whichever way we are going.
    chain = direction === 'encrypt' ? out.subarray(offset, offset + 16) : data.subarray(offset, offset + 16);
  }
  return out;
}
