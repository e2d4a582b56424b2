// Attributes by dictionary name → wire bytes. Values are range- and length-checked here so a
// bad reply fails loudly in Kasi instead of being truncated or rejected by the NAS.
import { attributeDefinition, type AttributeName, type AttributeValue } from './dictionary.ts';
import type { AttributeDefinition } from './dictionary.types.ts';
import { encryptMppeKey, mppeSalt } from './mppe.ts';
import type { Secret } from './md5-cipher.ts';
import type { RawAttribute } from './packet.types.ts';
import { MESSAGE_AUTHENTICATOR, VENDOR_SPECIFIC } from './packet.types.ts';
import { encryptUserPassword } from './user-password.ts';
import { AttributeError, encodeValue, type PlainValue } from './value.codec.ts';

/** One attribute: a [name, value] pair checked against the dictionary, or raw bytes for anything else. */
export type AttributeEntry =
  { [N in AttributeName]: readonly [N, AttributeValue<N>] }[AttributeName] | RawAttribute;

/** Alias of AttributeEntry: one attribute to encode. */
export type AttributeInput = AttributeEntry;

/** The object form: { 'Session-Timeout': 3600, Class: [a, b] }. Arrays repeat the attribute. */
export type AttributeObject = { [N in AttributeName]?: AttributeValue<N> | readonly AttributeValue<N>[] };

export type AttributeList = readonly AttributeEntry[] | AttributeObject;

/** What hiding User-Password and MS-MPPE keys needs: the secret and the request's authenticator. */
export interface EncryptionContext {
  secret: Secret;
  requestAuthenticator: Buffer;
}

const MAX_VALUE = 253;
const MAX_VSA_VALUE = MAX_VALUE - 6;

export function normalizeAttributes(list: AttributeList | undefined): AttributeEntry[] {
  if (!list) return [];
  if (Array.isArray(list)) return [...(list as readonly AttributeEntry[])];
  // Optional fields left undefined are skipped, so `{ 'Framed-Pool': plan.pool }` just works.
  return Object.entries(list).flatMap(([name, value]) =>
    value === undefined || value === null
      ? []
      : (Array.isArray(value) ? value : [value]).map((v) => [name, v] as unknown as AttributeEntry),
  );
}

const isRaw = (entry: AttributeEntry): entry is RawAttribute => !Array.isArray(entry);

/** Encodes the attributes in order; Message-Authenticator is refused because the packet encoder owns it. */
export function encodeAttributes(list: AttributeList | undefined, context?: EncryptionContext): Buffer {
  const salts = new Set<string>();
  const parts = normalizeAttributes(list).map((entry) => {
    if (isRaw(entry)) return frameRaw(entry);
    const [name, value] = entry;
    const definition = attributeDefinition(name);
    if (definition.code === MESSAGE_AUTHENTICATOR && definition.vendorId === undefined) {
      throw new AttributeError(name, 'is added by the packet encoder; do not pass it');
    }
    const bytes = hide(definition, encodeValue(definition, value as PlainValue), context, salts);
    return frame(definition, bytes);
  });
  return Buffer.concat(parts);
}

function hide(
  definition: AttributeDefinition,
  bytes: Buffer,
  context: EncryptionContext | undefined,
  salts: Set<string>,
): Buffer {
  if (!definition.encrypt) return bytes;
  if (!context) {
    const where = 'only Access-Request or a reply can carry it';
    throw new AttributeError(definition.name, `is hidden with a Request Authenticator; ${where}`);
  }
  if (definition.encrypt === 'user-password') {
    if (bytes.length > 128)
      throw new AttributeError(definition.name, `is ${bytes.length} bytes; at most 128`);
    return encryptUserPassword(bytes, context.secret, context.requestAuthenticator);
  }
  // RFC 2548 §2.4.2: each salt in one packet must be unique.
  let salt = mppeSalt();
  while (salts.has(salt.toString('hex'))) salt = mppeSalt();
  salts.add(salt.toString('hex'));
  return encryptMppeKey(bytes, context.secret, context.requestAuthenticator, salt);
}

function frame(definition: AttributeDefinition, value: Buffer): Buffer {
  if (value.length === 0)
    throw new AttributeError(definition.name, 'is empty; RFC 2865 values are 1..253 bytes');
  if (definition.vendorId !== undefined)
    return frameVsa(definition.name, definition.vendorId, definition.code, value);
  if (value.length > MAX_VALUE) {
    throw new AttributeError(
      definition.name,
      `is ${value.length} bytes; at most ${MAX_VALUE} fit in an attribute`,
    );
  }
  return Buffer.concat([Buffer.from([definition.code, value.length + 2]), value]);
}

/** One Vendor-Specific attribute per sub-attribute: what every NAS, RouterOS included, parses. */
function frameVsa(name: string, vendorId: number, vendorType: number, value: Buffer): Buffer {
  if (value.length > MAX_VSA_VALUE) {
    throw new AttributeError(
      name,
      `is ${value.length} bytes; at most ${MAX_VSA_VALUE} fit in a vendor attribute`,
    );
  }
  const header = Buffer.alloc(8);
  header.writeUInt8(VENDOR_SPECIFIC, 0);
  header.writeUInt8(value.length + 8, 1);
  header.writeUInt32BE(vendorId, 2);
  header.writeUInt8(vendorType, 6);
  header.writeUInt8(value.length + 2, 7);
  return Buffer.concat([header, value]);
}

function frameRaw(attribute: RawAttribute): Buffer {
  const label = `Attr-${attribute.vendorId === undefined ? attribute.type : `${attribute.vendorId}:${attribute.vendorType}`}`;
  if (attribute.vendorId !== undefined) {
    if (attribute.vendorType === undefined)
      throw new AttributeError(label, 'a vendor attribute needs vendorType');
    return frameVsa(label, attribute.vendorId, attribute.vendorType, attribute.value);
  }
  if (!Number.isInteger(attribute.type) || attribute.type < 1 || attribute.type > 255) {
    throw new AttributeError(label, 'type must be 1..255');
  }
  if (attribute.value.length > MAX_VALUE)
    throw new AttributeError(label, `value longer than ${MAX_VALUE} bytes`);
  return Buffer.concat([Buffer.from([attribute.type, attribute.value.length + 2]), attribute.value]);
}
