// Typed attribute values <-> wire bytes, by dictionary data type (RFC 2865 §5, RFC 8044).
// Encoding throws AttributeError on bad input (a caller bug); decoding returns undefined on bad bytes.
import type { AttributeDefinition, DataType } from './dictionary.types.ts';
import { valueNumber } from './dictionary.ts';
import {
  bytesToIpv4,
  bytesToIpv6,
  bytesToIpv6Prefix,
  ipv4ToBytes,
  ipv6PrefixToBytes,
  ipv6ToBytes,
} from './ip-address.codec.ts';

export type PlainValue = string | number | bigint | Buffer | Date;

export class AttributeError extends Error {
  readonly attribute: string;

  constructor(attribute: string, message: string) {
    super(`${attribute}: ${message}`);
    this.name = 'AttributeError';
    this.attribute = attribute;
  }
}

const UINT32_MAX = 0xffff_ffff;
const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

export function encodeValue(definition: AttributeDefinition, value: PlainValue): Buffer {
  const fail = (message: string): never => {
    throw new AttributeError(definition.name, message);
  };
  if (Buffer.isBuffer(value)) return value;
  switch (definition.dataType) {
    case 'string':
    case 'octets':
      return typeof value === 'string' ? Buffer.from(value, 'utf8') : fail('expects a string or Buffer');
    case 'integer':
      return encodeUint32(toInteger(definition, value, fail), fail);
    case 'date':
      return encodeUint32(
        value instanceof Date ? Math.floor(value.getTime() / 1000) : toInteger(definition, value, fail),
        fail,
      );
    case 'integer64':
      return encodeUint64(value, fail);
    case 'ipaddr':
      return (
        (typeof value === 'string' && ipv4ToBytes(value)) || fail(`"${String(value)}" is not an IPv4 address`)
      );
    case 'ipv6addr':
      return (
        (typeof value === 'string' && ipv6ToBytes(value)) || fail(`"${String(value)}" is not an IPv6 address`)
      );
    case 'ipv6prefix':
      return (
        (typeof value === 'string' && ipv6PrefixToBytes(value)) ||
        fail(`"${String(value)}" is not an IPv6 prefix`)
      );
    case 'ifid':
      return (
        (typeof value === 'string' && ifidToBytes(value)) || fail(`"${String(value)}" is not an interface id`)
      );
    case 'vsa':
      return fail('expects the raw Vendor-Specific bytes as a Buffer');
  }
}

function toInteger(definition: AttributeDefinition, value: PlainValue, fail: (m: string) => never): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const named = valueNumber(definition, value);
    if (named !== undefined) return named;
    if (/^\d+$/.test(value)) return Number(value);
    return fail(`"${value}" is neither a number nor a known value name`);
  }
  return fail('expects a number');
}

function encodeUint32(n: number, fail: (m: string) => never): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > UINT32_MAX) fail(`${n} is outside 0..${UINT32_MAX}`);
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n);
  return out;
}

function encodeUint64(value: PlainValue, fail: (m: string) => never): Buffer {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^\d+$/.test(value)) n = BigInt(value);
  else return fail(`${String(value)} is not a whole number`);
  if (n < 0n || n > UINT64_MAX) fail(`${n} is outside 0..2^64-1`);
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(n);
  return out;
}

function ifidToBytes(text: string): Buffer | undefined {
  const hex = text.replaceAll(':', '');
  return /^[0-9a-fA-F]{16}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

export type DecodedValue = string | number | bigint | Date | Buffer;

/** Reads bytes as the given data type; undefined when the length is wrong for it. */
export function decodeValue(dataType: DataType, bytes: Buffer): DecodedValue | undefined {
  switch (dataType) {
    case 'string':
      return bytes.toString('utf8');
    case 'integer':
      return bytes.length === 4 ? bytes.readUInt32BE(0) : undefined;
    case 'date':
      return bytes.length === 4 ? new Date(bytes.readUInt32BE(0) * 1000) : undefined;
    case 'integer64':
      return bytes.length === 8 ? bytes.readBigUInt64BE(0) : undefined;
    case 'ipaddr':
      return bytesToIpv4(bytes);
    case 'ipv6addr':
      return bytesToIpv6(bytes);
    case 'ipv6prefix':
      return bytesToIpv6Prefix(bytes);
    case 'ifid':
      return bytes.length === 8 ? (bytes.toString('hex').match(/.{4}/g) ?? []).join(':') : undefined;
    case 'octets':
    case 'vsa':
      return bytes;
  }
}
