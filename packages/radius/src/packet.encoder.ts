// Builds signed RADIUS packets. Replies always carry their Response Authenticator; Access replies
// always carry Message-Authenticator as the first attribute (BlastRADIUS, CVE-2024-3596).
import { randomBytes } from 'node:crypto';
import {
  Code,
  hasRandomAuthenticator,
  hasSignedRequestAuthenticator,
  isAccessReplyCode,
  isResponseCode,
} from './codes.ts';
import { computeAuthenticator } from './authenticator.ts';
import { encodeAttributes, normalizeAttributes, type AttributeList } from './attribute.encoder.ts';
import type { Secret } from './md5-cipher.ts';
import { hmacMd5, MESSAGE_AUTHENTICATOR_LENGTH } from './message-authenticator.ts';
import type { Packet } from './packet.types.ts';
import {
  AUTHENTICATOR_LENGTH,
  AUTHENTICATOR_OFFSET,
  HEADER_LENGTH,
  MAX_PACKET_LENGTH,
  MESSAGE_AUTHENTICATOR,
  PROXY_STATE,
} from './packet.types.ts';
import { getAll } from './attribute.reader.ts';

export interface EncodeResponseInput {
  /** A reply code (Code.AccessAccept ...); anything else throws. */
  code: number;
  identifier: number;
  /** The Request Authenticator of the request being answered. */
  requestAuthenticator: Buffer;
  attributes?: AttributeList;
  secret: Secret;
  /** Proxy-State values from the request, echoed last and in order (RFC 2865 §5.33). */
  proxyStates?: readonly Buffer[];
  /** Add Message-Authenticator to replies other than Access-Accept/Reject/Challenge (which always get it). */
  messageAuthenticator?: boolean;
}

export interface EncodeRequestInput {
  /** A request code (Code.AccessRequest ...); anything else throws. */
  code: number;
  identifier: number;
  attributes?: AttributeList;
  secret: Secret;
  /** Add Message-Authenticator (always added to Status-Server). */
  messageAuthenticator?: boolean;
  /** Access-Request/Status-Server only: a fixed authenticator instead of a random one (tests). */
  authenticator?: Buffer;
}

const MA_PLACEHOLDER = Buffer.from([
  MESSAGE_AUTHENTICATOR,
  2 + MESSAGE_AUTHENTICATOR_LENGTH,
  ...new Array<number>(16).fill(0),
]);
const MA_OFFSET = HEADER_LENGTH + 2;

function assemble(
  code: number,
  identifier: number,
  authenticator: Buffer,
  withMa: boolean,
  body: Buffer,
): Buffer {
  if (!Number.isInteger(identifier) || identifier < 0 || identifier > 255) {
    throw new RangeError(`RADIUS identifier ${identifier} is outside 0..255`);
  }
  const length = HEADER_LENGTH + (withMa ? MA_PLACEHOLDER.length : 0) + body.length;
  if (length > MAX_PACKET_LENGTH)
    throw new RangeError(`RADIUS packet would be ${length} bytes; the limit is 4096`);
  const header = Buffer.alloc(4);
  header.writeUInt8(code, 0);
  header.writeUInt8(identifier, 1);
  header.writeUInt16BE(length, 2);
  return Buffer.concat([header, authenticator, ...(withMa ? [MA_PLACEHOLDER] : []), body]);
}

/** HMAC over the packet as it stands (Message-Authenticator still zero), written into its slot. */
function signMessageAuthenticator(packet: Buffer, secret: Secret): void {
  hmacMd5(packet, secret).copy(packet, MA_OFFSET);
}

export function encodeResponse(input: EncodeResponseInput): Buffer {
  if (!isResponseCode(input.code)) throw new RangeError(`Code ${input.code} is not a reply`);
  if (input.requestAuthenticator.length !== AUTHENTICATOR_LENGTH)
    throw new RangeError('requestAuthenticator must be 16 bytes');
  const context = { secret: input.secret, requestAuthenticator: input.requestAuthenticator };
  const proxyStates = (input.proxyStates ?? []).map((value) => ({ type: PROXY_STATE, value }));
  const body = encodeAttributes([...normalizeAttributes(input.attributes), ...proxyStates], context);
  const withMa = isAccessReplyCode(input.code) || input.messageAuthenticator === true;
  // RFC 2869 §5.14 / RFC 5176 §3.4: a reply's HMAC covers the Request Authenticator.
  const packet = assemble(input.code, input.identifier, input.requestAuthenticator, withMa, body);
  if (withMa) signMessageAuthenticator(packet, input.secret);
  computeAuthenticator(packet, input.requestAuthenticator, input.secret).copy(packet, AUTHENTICATOR_OFFSET);
  return packet;
}

/** encodeResponse with identifier, authenticator and Proxy-State taken from the decoded request. */
export function encodeResponseTo(
  request: Packet,
  input: Omit<EncodeResponseInput, 'identifier' | 'requestAuthenticator' | 'proxyStates'>,
): Buffer {
  return encodeResponse({
    ...input,
    identifier: request.identifier,
    requestAuthenticator: request.authenticator,
    proxyStates: getAll(request, 'Proxy-State'),
  });
}

export function encodeRequest(input: EncodeRequestInput): Buffer {
  if (hasRandomAuthenticator(input.code)) return encodeRandomAuthenticatorRequest(input);
  if (!hasSignedRequestAuthenticator(input.code)) throw new RangeError(`Code ${input.code} is not a request`);
  if (input.authenticator)
    throw new TypeError('Accounting/CoA/Disconnect authenticators are computed, not given');
  const zero = Buffer.alloc(AUTHENTICATOR_LENGTH);
  // No request authenticator exists yet to hide User-Password with, so encoding one throws.
  const body = encodeAttributes(input.attributes);
  const withMa = input.messageAuthenticator === true;
  const packet = assemble(input.code, input.identifier, zero, withMa, body);
  // RFC 5176 §3.4: the HMAC is taken with the authenticator field still zero, then the MD5 covers it.
  if (withMa) signMessageAuthenticator(packet, input.secret);
  computeAuthenticator(packet, zero, input.secret).copy(packet, AUTHENTICATOR_OFFSET);
  return packet;
}

function encodeRandomAuthenticatorRequest(input: EncodeRequestInput): Buffer {
  const authenticator = input.authenticator ?? randomBytes(AUTHENTICATOR_LENGTH);
  if (authenticator.length !== AUTHENTICATOR_LENGTH) throw new RangeError('authenticator must be 16 bytes');
  const body = encodeAttributes(input.attributes, {
    secret: input.secret,
    requestAuthenticator: authenticator,
  });
  // RFC 5997 §3: Status-Server always carries Message-Authenticator.
  const withMa = input.code === Code.StatusServer || input.messageAuthenticator === true;
  const packet = assemble(input.code, input.identifier, authenticator, withMa, body);
  if (withMa) signMessageAuthenticator(packet, input.secret);
  return packet;
}
