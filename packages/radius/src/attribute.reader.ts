// Typed reads of decoded attributes by dictionary name. A value whose length is wrong for
// its type reads as undefined rather than throwing: the packet came from the network.
import { isUtf8 } from 'node:buffer';
import { attributeDefinition, findAttributeByCode, valueName, type AttributeName } from './dictionary.ts';
import type { AttributeDefinition } from './dictionary.types.ts';
import { maskUserName } from './credential-mask.ts';
import type { RawAttribute } from './packet.types.ts';
import { VENDOR_SPECIFIC } from './packet.types.ts';
import { decodeValue, type DecodedValue } from './value.codec.ts';
import { bytesToIpv4, bytesToIpv6, bytesToIpv6Prefix } from './ip-address.codec.ts';

/** Anything with decoded attributes: a Packet, or a hand-built list in tests. */
export interface AttributeSource {
  readonly attributes: readonly RawAttribute[];
}

export function matchesDefinition(attribute: RawAttribute, definition: AttributeDefinition): boolean {
  if (definition.vendorId === undefined)
    return attribute.type === definition.code && attribute.vendorId === undefined;
  return (
    attribute.type === VENDOR_SPECIFIC &&
    attribute.vendorId === definition.vendorId &&
    attribute.vendorType === definition.code
  );
}

export function findAttributes(source: AttributeSource, name: AttributeName): RawAttribute[] {
  const definition = attributeDefinition(name);
  return source.attributes.filter((attribute) => matchesDefinition(attribute, definition));
}

/** The first value of the attribute, as raw bytes. */
export function getAttribute(source: AttributeSource, name: AttributeName): Buffer | undefined {
  const definition = attributeDefinition(name);
  return source.attributes.find((attribute) => matchesDefinition(attribute, definition))?.value;
}

/** Every value of the attribute in packet order (Proxy-State, Class, Reply-Message...). */
export function getAll(source: AttributeSource, name: AttributeName): Buffer[] {
  return findAttributes(source, name).map((attribute) => attribute.value);
}

export function hasAttribute(source: AttributeSource, name: AttributeName): boolean {
  return getAttribute(source, name) !== undefined;
}

export function getString(source: AttributeSource, name: AttributeName): string | undefined {
  return getAttribute(source, name)?.toString('utf8');
}

/** Why a string attribute cannot be used as text. Stable names: they end up in logs and metrics. */
export type TextProblem = 'nul_byte' | 'invalid_utf8';

export type TextRead = { ok: true; text: string } | { ok: false; problem: TextProblem };

/**
 * A string attribute as text that can be stored, compared and looked up: undefined when absent,
 * a problem when the bytes hold a NUL (PostgreSQL text cannot hold one, and C-string peers
 * would cut the value short there) or are not UTF-8 (RFC 2865 §5.1 asks for UTF-8; getString
 * would turn such bytes into U+FFFD, so two different values would read alike).
 */
export function getText(source: AttributeSource, name: AttributeName): TextRead | undefined {
  const value = getAttribute(source, name);
  if (value === undefined) return undefined;
  if (value.includes(0)) return { ok: false, problem: 'nul_byte' };
  if (!isUtf8(value)) return { ok: false, problem: 'invalid_utf8' };
  return { ok: true, text: value.toString('utf8') };
}

/** An unsigned 32-bit value; undefined when absent or not exactly 4 bytes. */
export function getInteger(source: AttributeSource, name: AttributeName): number | undefined {
  const value = getAttribute(source, name);
  return value?.length === 4 ? value.readUInt32BE(0) : undefined;
}

export function getInteger64(source: AttributeSource, name: AttributeName): bigint | undefined {
  const value = getAttribute(source, name);
  return value?.length === 8 ? value.readBigUInt64BE(0) : undefined;
}

/** Dotted IPv4 text; undefined when absent or not 4 bytes. */
export function getIpAddress(source: AttributeSource, name: AttributeName): string | undefined {
  const value = getAttribute(source, name);
  return value && bytesToIpv4(value);
}

export function getIpv6Address(source: AttributeSource, name: AttributeName): string | undefined {
  const value = getAttribute(source, name);
  return value && bytesToIpv6(value);
}

export function getIpv6Prefix(source: AttributeSource, name: AttributeName): string | undefined {
  const value = getAttribute(source, name);
  return value && bytesToIpv6Prefix(value);
}

export function getDate(source: AttributeSource, name: AttributeName): Date | undefined {
  const seconds = getInteger(source, name);
  return seconds === undefined ? undefined : new Date(seconds * 1000);
}

/** The value name of an enumerated attribute ('Interim-Update'), or undefined if absent or unnamed. */
export function getValueName(source: AttributeSource, name: AttributeName): string | undefined {
  const number = getInteger(source, name);
  return number === undefined ? undefined : valueName(attributeDefinition(name), number);
}

/** The first value decoded by its dictionary data type. */
export function getValue(source: AttributeSource, name: AttributeName): DecodedValue | undefined {
  const value = getAttribute(source, name);
  return value && decodeValue(attributeDefinition(name).dataType, value);
}

const HIDDEN = new Set([
  'User-Password',
  'CHAP-Password',
  'MS-CHAP2-Response',
  'MS-MPPE-Send-Key',
  'MS-MPPE-Recv-Key',
]);

/**
 * Name/value pairs for debug logs; secrets are replaced by '<hidden>', the User-Name (a voucher's
 * code) is masked, and unknown attributes are shown as hex.
 */
export function describeAttributes(source: AttributeSource): { name: string; value: string }[] {
  return source.attributes.map((attribute) => {
    const definition = findAttributeByCode(attribute.vendorType ?? attribute.type, attribute.vendorId);
    if (!definition) {
      const vendor = attribute.vendorId === undefined ? '' : `${attribute.vendorId}:${attribute.vendorType}`;
      return { name: `Attr-${vendor || attribute.type}`, value: hex(attribute.value) };
    }
    if (HIDDEN.has(definition.name)) return { name: definition.name, value: '<hidden>' };
    if (definition.name === 'User-Name')
      return { name: definition.name, value: maskedUserName(attribute.value) };
    return { name: definition.name, value: formatValue(definition, attribute.value) };
  });
}

const hex = (bytes: Buffer) => `0x${bytes.toString('hex')}`;

function maskedUserName(bytes: Buffer): string {
  const text = getText({ attributes: [{ type: 1, value: bytes }] }, 'User-Name');
  return text?.ok ? maskUserName(text.text) : `<${text?.problem ?? 'absent'}, ${bytes.length} bytes>`;
}

function formatValue(definition: AttributeDefinition, bytes: Buffer): string {
  const decoded = decodeValue(definition.dataType, bytes);
  if (decoded === undefined || Buffer.isBuffer(decoded)) return hex(bytes);
  if (typeof decoded === 'number') return valueName(definition, decoded) ?? String(decoded);
  if (decoded instanceof Date) return decoded.toISOString();
  return String(decoded);
}
