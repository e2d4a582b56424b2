// Client side: is this datagram an authentic reply to the request we sent? Checks the
// Response Authenticator and, when present or required, the Message-Authenticator.
import { isResponseCode } from './codes.ts';
import { verifyResponseAuthenticator } from './authenticator.ts';
import type { Secret } from './md5-cipher.ts';
import { verifyMessageAuthenticator } from './message-authenticator.ts';
import { decodePacket } from './packet.decoder.ts';
import type { DropReason, Packet } from './packet.types.ts';

export type ResponseRejection =
  | DropReason
  | 'not_a_response'
  | 'bad_authenticator'
  | 'bad_message_authenticator'
  | 'missing_message_authenticator';

export type VerifyResponseResult =
  | { ok: true; packet: Packet; messageAuthenticator: 'valid' | 'absent' }
  | { ok: false; reason: ResponseRejection };

export interface VerifyResponseOptions {
  /** Treat a reply without Message-Authenticator as forged (BlastRADIUS-hardened clients do). */
  requireMessageAuthenticator?: boolean;
}

export function verifyResponse(
  reply: Buffer,
  requestAuthenticator: Buffer,
  secret: Secret,
  options: VerifyResponseOptions = {},
): VerifyResponseResult {
  const decoded = decodePacket(reply);
  if (!decoded.ok) return decoded;
  const { packet } = decoded;
  if (!isResponseCode(packet.code)) return { ok: false, reason: 'not_a_response' };
  if (!verifyResponseAuthenticator(packet, requestAuthenticator, secret))
    return { ok: false, reason: 'bad_authenticator' };
  const status = verifyMessageAuthenticator(packet, secret, { requestAuthenticator });
  if (status === 'invalid') return { ok: false, reason: 'bad_message_authenticator' };
  if (status === 'absent' && options.requireMessageAuthenticator) {
    return { ok: false, reason: 'missing_message_authenticator' };
  }
  return { ok: true, packet, messageAuthenticator: status };
}
