import { describe, expect, it } from 'vitest';
import { decodeLength, encodeLength, encodeSentence, encodeWord, lengthPrefixSize } from './word.codec.ts';

// Expected prefixes worked out by hand from the RouterOS API length table, not from the encoder.
const boundaries: Array<[number, number[]]> = [
  [0x00, [0x00]],
  [0x7f, [0x7f]],
  [0x80, [0x80, 0x80]],
  [0x3fff, [0xbf, 0xff]],
  [0x4000, [0xc0, 0x40, 0x00]],
  [0x1fffff, [0xdf, 0xff, 0xff]],
  [0x200000, [0xe0, 0x20, 0x00, 0x00]],
  [0xfffffff, [0xef, 0xff, 0xff, 0xff]],
  [0x10000000, [0xf0, 0x10, 0x00, 0x00, 0x00]],
  [0xffffffff, [0xf0, 0xff, 0xff, 0xff, 0xff]],
];

describe('word length prefix', () => {
  const cases = boundaries.map(([length, bytes]) => [`0x${length.toString(16)}`, length, bytes] as const);

  it.each(cases)('encodes length %s with the class-specific prefix', (_name, length, bytes) => {
    expect([...encodeLength(length)]).toEqual(bytes);
  });

  it.each(cases)('decodes the prefix of length %s back to the same length', (_name, length, bytes) => {
    const first = bytes[0] ?? 0;
    expect(lengthPrefixSize(first)).toBe(bytes.length);
    expect(decodeLength(Uint8Array.from(bytes))).toBe(length);
  });

  it('rejects every reserved control byte 0xF8..0xFF as a length start', () => {
    for (let b = 0xf8; b <= 0xff; b++) {
      expect(() => lengthPrefixSize(b)).toThrow(/reserved control byte/);
    }
  });

  it('refuses lengths that do not fit in 32 bits', () => {
    expect(() => encodeLength(0x100000000)).toThrow(RangeError);
    expect(() => encodeLength(-1)).toThrow(RangeError);
  });
});

describe('words and sentences', () => {
  it('prefixes a word with the length of its UTF-8 bytes', () => {
    expect([...encodeWord('é')]).toEqual([0x02, 0xc3, 0xa9]);
  });

  it('ends a sentence with the zero-length word', () => {
    const bytes = encodeSentence(['/login', '=name=admin']);
    expect(bytes.toString('latin1')).toBe('\x06/login\x0b=name=admin\x00');
  });
});
