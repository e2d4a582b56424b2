// Request and Response Authenticators (RFC 2865 §3, RFC 2866 §3, RFC 5176 §2.3): MD5 over the
// packet with a stand-in authenticator, followed by the shared secret. Compared in constant time.
import { hash, timingSafeEqual } from 'node:crypto';
import { secretBytes, type Secret } from './md5-cipher.ts';
import type { Packet } from './packet.types.ts';
import { AUTHENTICATOR_LENGTH, AUTHENTICATOR_OFFSET } from './packet.types.ts';

/** MD5(packet with `stand-in` in the authenticator field + secret). Does not modify `raw`. */
export function computeAuthenticator(raw: Buffer, standIn: Buffer, secret: Secret): Buffer {
  const key = secretBytes(secret);
  const input = Buffer.alloc(raw.length + key.length);
  raw.copy(input);
  standIn.copy(input, AUTHENTICATOR_OFFSET, 0, AUTHENTICATOR_LENGTH);
  key.copy(input, raw.length);
  return hash('md5', input, 'buffer');
}

/**
 * Accounting-Request (RFC 2866 §3) and CoA/Disconnect-Request (RFC 5176 §2.3):
 * the Request Authenticator is MD5 over the packet with sixteen zero octets in its place.
 */
export function verifyAccountingRequestAuthenticator(packet: Packet, secret: Secret): boolean {
  const expected = computeAuthenticator(packet.raw, Buffer.alloc(AUTHENTICATOR_LENGTH), secret);
  return timingSafeEqual(expected, packet.authenticator);
}

/** A reply's Response Authenticator: MD5 over the reply with the request's authenticator in its place. */
export function verifyResponseAuthenticator(
  reply: Packet,
  requestAuthenticator: Buffer,
  secret: Secret,
): boolean {
  if (requestAuthenticator.length !== AUTHENTICATOR_LENGTH) return false;
  const expected = computeAuthenticator(reply.raw, requestAuthenticator, secret);
  return timingSafeEqual(expected, reply.authenticator);
}
