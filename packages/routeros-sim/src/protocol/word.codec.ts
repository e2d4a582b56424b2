// RouterOS API word encoding: a length prefix in one of five classes, then the bytes.
// This is the emulator's own codec, deliberately independent of any client's, so a bug in
// one side cannot be hidden by the same bug in the other.

/** First bytes 0xF8..0xFF are reserved control bytes; a conforming peer never sends them. */
export const FIRST_RESERVED_BYTE = 0xf8;

export class WordFormatError extends Error {
  readonly code: 'RESERVED_CONTROL_BYTE' | 'WORD_TOO_LONG';
  constructor(code: WordFormatError['code'], message: string) {
    super(message);
    this.name = 'WordFormatError';
    this.code = code;
  }
}

/** Bytes of the length prefix for a word of `length` bytes. */
export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) {
    throw new RangeError(`word length ${length} cannot be encoded`);
  }
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x4000) return uint(length | 0x8000, 2);
  if (length < 0x200000) return uint(length | 0xc00000, 3);
  if (length < 0x10000000) return uint((length | 0xe0000000) >>> 0, 4);
  return Buffer.concat([Buffer.from([0xf0]), uint(length, 4)]);
}

function uint(value: number, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  out.writeUIntBE(value, 0, bytes);
  return out;
}

/** How many bytes the length prefix takes, judged from its first byte. */
export function lengthPrefixSize(firstByte: number): number {
  if (firstByte >= FIRST_RESERVED_BYTE) {
    throw new WordFormatError(
      'RESERVED_CONTROL_BYTE',
      `reserved control byte 0x${firstByte.toString(16)} where a word length was expected`,
    );
  }
  if (firstByte < 0x80) return 1;
  if (firstByte < 0xc0) return 2;
  if (firstByte < 0xe0) return 3;
  if (firstByte < 0xf0) return 4;
  return 5;
}

/** Decodes a complete length prefix (exactly `lengthPrefixSize(prefix[0])` bytes). */
export function decodeLength(prefix: Uint8Array): number {
  const first = prefix[0];
  if (first === undefined) throw new RangeError('empty length prefix');
  const size = lengthPrefixSize(first);
  if (prefix.length < size) throw new RangeError(`length prefix needs ${size} bytes, got ${prefix.length}`);
  const bytes = Buffer.from(prefix.buffer, prefix.byteOffset, size);
  switch (size) {
    case 1:
      return first;
    case 2:
      return bytes.readUInt16BE(0) & 0x3fff;
    case 3:
      return bytes.readUIntBE(0, 3) & 0x1fffff;
    case 4:
      return bytes.readUInt32BE(0) & 0x0fffffff;
    default:
      return bytes.readUInt32BE(1);
  }
}

export function encodeWord(word: string | Uint8Array): Buffer {
  const body = typeof word === 'string' ? Buffer.from(word, 'utf8') : Buffer.from(word);
  return Buffer.concat([encodeLength(body.length), body]);
}

/** A sentence is its words followed by the zero-length word. */
export function encodeSentence(words: ReadonlyArray<string | Uint8Array>): Buffer {
  return Buffer.concat([...words.map(encodeWord), Buffer.from([0])]);
}
