// The decoded shape of a RADIUS packet, shared by the decoder, the readers and the verifiers.
import type { Code } from './codes.ts';

/**
 * One attribute as it was on the wire. A Vendor-Specific attribute is split into one
 * RawAttribute per vendor sub-attribute: type stays 26 and vendorId/vendorType say which.
 */
export interface RawAttribute {
  type: number;
  value: Buffer;
  vendorId?: number;
  vendorType?: number;
}

export interface Packet {
  code: Code;
  identifier: number;
  /** The 16-byte Request or Response Authenticator, as received. */
  authenticator: Buffer;
  attributes: RawAttribute[];
  /** The packet's bytes up to its header length (trailing datagram bytes dropped). */
  raw: Buffer;
}

/** Why a datagram was silently discarded. Stable names: they end up in logs and metrics. */
export type DropReason =
  | 'too_short'
  | 'too_long'
  | 'length_mismatch'
  | 'unknown_code'
  | 'bad_attribute_length'
  | 'attribute_overrun'
  | 'bad_vsa';

export type DecodeResult = { ok: true; packet: Packet } | { ok: false; reason: DropReason };

export const HEADER_LENGTH = 20;
export const MAX_PACKET_LENGTH = 4096;
export const AUTHENTICATOR_OFFSET = 4;
export const AUTHENTICATOR_LENGTH = 16;
export const VENDOR_SPECIFIC = 26;
export const MESSAGE_AUTHENTICATOR = 80;
export const PROXY_STATE = 33;
