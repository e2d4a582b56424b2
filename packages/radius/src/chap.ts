// CHAP over RADIUS (RFC 2865 §2.2, §5.3, §5.40; RFC 1994): CHAP-Password is the CHAP ident
// followed by MD5(ident + password + challenge). MikroTik hotspot http-chap logs in this way.
import { createHash, timingSafeEqual } from 'node:crypto';

export const CHAP_PASSWORD_LENGTH = 17;

export interface ChapInput {
  /** The CHAP-Password value: 1 byte ident + 16 byte response. */
  chapPassword: Buffer;
  /** CHAP-Challenge, or the Request Authenticator when the request carries no CHAP-Challenge. */
  challenge: Buffer;
  password: string | Buffer;
}

const bytes = (text: string | Buffer) => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

/** The CHAP-Password value a client sends: ident + MD5(ident + password + challenge). */
export function chapResponse(input: { ident: number; password: string | Buffer; challenge: Buffer }): Buffer {
  const ident = Buffer.from([input.ident & 0xff]);
  const digest = createHash('md5')
    .update(ident)
    .update(bytes(input.password))
    .update(input.challenge)
    .digest();
  return Buffer.concat([ident, digest]);
}

export function verifyChap(input: ChapInput): boolean {
  if (input.chapPassword.length !== CHAP_PASSWORD_LENGTH || input.challenge.length === 0) return false;
  const expected = chapResponse({
    ident: input.chapPassword.readUInt8(0),
    password: input.password,
    challenge: input.challenge,
  });
  return timingSafeEqual(expected, input.chapPassword);
}
