// Strict RADIUS datagram parsing (RFC 2865 §3, §5). Anything malformed is reported with a
// DropReason so the server can discard it silently and count why; this function never throws.
import { isKnownCode } from './codes.ts';
import type { DecodeResult, DropReason, RawAttribute } from './packet.types.ts';
import { AUTHENTICATOR_OFFSET, HEADER_LENGTH, MAX_PACKET_LENGTH, VENDOR_SPECIFIC } from './packet.types.ts';

type Parsed = { ok: true; attributes: RawAttribute[] } | { ok: false; reason: DropReason };

export function decodePacket(datagram: Buffer): DecodeResult {
  if (!Buffer.isBuffer(datagram) || datagram.length < HEADER_LENGTH)
    return { ok: false, reason: 'too_short' };
  const length = datagram.readUInt16BE(2);
  if (length < HEADER_LENGTH) return { ok: false, reason: 'too_short' };
  if (length > MAX_PACKET_LENGTH) return { ok: false, reason: 'too_long' };
  // RFC 2865 §3: a shorter datagram is discarded; octets beyond Length are padding and ignored.
  if (length > datagram.length) return { ok: false, reason: 'length_mismatch' };
  const code = datagram.readUInt8(0);
  if (!isKnownCode(code)) return { ok: false, reason: 'unknown_code' };
  const raw = datagram.subarray(0, length);
  const parsed = parseAttributes(raw.subarray(HEADER_LENGTH));
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    packet: {
      code,
      identifier: raw.readUInt8(1),
      authenticator: raw.subarray(AUTHENTICATOR_OFFSET, HEADER_LENGTH),
      attributes: parsed.attributes,
      raw,
    },
  };
}

function parseAttributes(data: Buffer): Parsed {
  const attributes: RawAttribute[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + 2 > data.length) return { ok: false, reason: 'attribute_overrun' };
    const type = data.readUInt8(offset);
    const length = data.readUInt8(offset + 1);
    if (length < 2) return { ok: false, reason: 'bad_attribute_length' };
    if (offset + length > data.length) return { ok: false, reason: 'attribute_overrun' };
    const value = data.subarray(offset + 2, offset + length);
    if (type === VENDOR_SPECIFIC) {
      if (!parseVendorSpecific(value, attributes)) return { ok: false, reason: 'bad_vsa' };
    } else {
      attributes.push({ type, value });
    }
    offset += length;
  }
  return { ok: true, attributes };
}

/**
 * RFC 2865 §5.26: a 4-byte vendor id whose high octet is zero, then one or more
 * vendor-type/vendor-length/value sub-attributes that exactly fill the attribute.
 */
function parseVendorSpecific(value: Buffer, into: RawAttribute[]): boolean {
  if (value.length < 4 + 2 || value.readUInt8(0) !== 0) return false;
  const vendorId = value.readUInt32BE(0);
  const found: RawAttribute[] = [];
  let offset = 4;
  while (offset < value.length) {
    if (offset + 2 > value.length) return false;
    const vendorType = value.readUInt8(offset);
    const length = value.readUInt8(offset + 1);
    if (length < 2 || offset + length > value.length) return false;
    found.push({
      type: VENDOR_SPECIFIC,
      vendorId,
      vendorType,
      value: value.subarray(offset + 2, offset + length),
    });
    offset += length;
  }
  into.push(...found);
  return true;
}
