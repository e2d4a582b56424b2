// One entry point for the server: which password scheme an Access-Request uses, and whether it
// proves knowledge of the subscriber's clear password. Returns the reply attributes a success needs.
import { timingSafeEqual } from 'node:crypto';
import { getAttribute, type AttributeSource } from './attribute.reader.ts';
import type { AttributeEntry } from './attribute.encoder.ts';
import { verifyChap } from './chap.ts';
import type { Secret } from './md5-cipher.ts';
import { verifyMsChapV2 } from './mschapv2.ts';
import type { Packet } from './packet.types.ts';
import { decryptUserPassword } from './user-password.ts';

export type AuthMethod = 'pap' | 'chap' | 'mschapv2';

export type PasswordCheck =
  | { ok: true; method: AuthMethod; replyAttributes: AttributeEntry[] }
  | { ok: false; method: AuthMethod | 'none'; replyAttributes: AttributeEntry[] };

/** The scheme the request uses, or undefined when it carries no password proof we understand. */
export function authMethod(request: AttributeSource): AuthMethod | undefined {
  if (getAttribute(request, 'User-Password')) return 'pap';
  if (getAttribute(request, 'CHAP-Password')) return 'chap';
  if (getAttribute(request, 'MS-CHAP2-Response') && getAttribute(request, 'MS-CHAP-Challenge'))
    return 'mschapv2';
  return undefined;
}

/** The decrypted User-Password (RFC 2865 §5.2), or null when absent or malformed. */
export function getUserPassword(request: Packet, secret: Secret): Buffer | null {
  const hidden = getAttribute(request, 'User-Password');
  return hidden ? decryptUserPassword(hidden, secret, request.authenticator) : null;
}

/** CHAP-Challenge when present, otherwise the Request Authenticator (RFC 2865 §2.2). */
export function getChapChallenge(request: Packet): Buffer {
  return getAttribute(request, 'CHAP-Challenge') ?? request.authenticator;
}

export function checkPassword(request: Packet, secret: Secret, password: string): PasswordCheck {
  switch (authMethod(request)) {
    case 'pap':
      return { ok: papMatches(request, secret, password), method: 'pap', replyAttributes: [] };
    case 'chap': {
      const chapPassword = getAttribute(request, 'CHAP-Password') ?? Buffer.alloc(0);
      const ok = verifyChap({ chapPassword, challenge: getChapChallenge(request), password });
      return { ok, method: 'chap', replyAttributes: [] };
    }
    case 'mschapv2':
      return checkMsChapV2(request, password);
    case undefined:
      return { ok: false, method: 'none', replyAttributes: [] };
  }
}

function papMatches(request: Packet, secret: Secret, password: string): boolean {
  const given = getUserPassword(request, secret);
  const expected = Buffer.from(password, 'utf8');
  // Length differences leak nothing useful: RADIUS pads passwords to 16-byte blocks on the wire anyway.
  return given !== null && given.length === expected.length && timingSafeEqual(given, expected);
}

function checkMsChapV2(request: Packet, password: string): PasswordCheck {
  const response = getAttribute(request, 'MS-CHAP2-Response') ?? Buffer.alloc(0);
  const authenticatorChallenge = getAttribute(request, 'MS-CHAP-Challenge') ?? Buffer.alloc(0);
  const userName = getAttribute(request, 'User-Name') ?? Buffer.alloc(0);
  const result = verifyMsChapV2({ userName, password, authenticatorChallenge, response });
  const ident = response[0] ?? 0;
  if (!result.ok) {
    // RFC 2759 §6 failure text; E=691 is "authentication failure", R=0 forbids a retry with this challenge.
    const text = `E=691 R=0 C=${authenticatorChallenge.toString('hex').toUpperCase()} V=3 M=Authentication failed`;
    const error = Buffer.concat([Buffer.from([ident]), Buffer.from(text, 'ascii')]);
    return { ok: false, method: 'mschapv2', replyAttributes: [['MS-CHAP-Error', error]] };
  }
  return {
    ok: true,
    method: 'mschapv2',
    replyAttributes: [
      ['MS-CHAP2-Success', result.successAttribute],
      ['MS-MPPE-Send-Key', result.sendKey],
      ['MS-MPPE-Recv-Key', result.recvKey],
      ['MS-MPPE-Encryption-Policy', 'Encryption-Allowed'],
      ['MS-MPPE-Encryption-Types', 6],
    ],
  };
}
