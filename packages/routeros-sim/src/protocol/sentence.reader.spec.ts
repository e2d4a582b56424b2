import { describe, expect, it } from 'vitest';
import { SentenceReader, sentenceToText } from './sentence.reader.ts';
import { encodeSentence } from './word.codec.ts';

function text(sentences: Buffer[][]): string[][] {
  return sentences.map(sentenceToText);
}

describe('SentenceReader', () => {
  it('reads a sentence delivered one byte at a time', () => {
    const reader = new SentenceReader();
    const bytes = encodeSentence(['!re', '=name=ether1', '.tag=7']);
    const got: Buffer[][] = [];
    for (const byte of bytes) got.push(...reader.push(Uint8Array.of(byte)));
    expect(text(got)).toEqual([['!re', '=name=ether1', '.tag=7']]);
  });

  it('splits several sentences coalesced into one chunk', () => {
    const reader = new SentenceReader();
    const chunk = Buffer.concat([encodeSentence(['!re', '=a=1']), encodeSentence(['!done'])]);
    expect(text(reader.push(chunk))).toEqual([['!re', '=a=1'], ['!done']]);
  });

  it.each([0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000])(
    'reads a %i-byte word whose length prefix is split across reads',
    (length) => {
      const reader = new SentenceReader();
      const word = 'x'.repeat(length);
      const bytes = encodeSentence([word]);
      // Cut right after the first prefix byte, so the rest of the prefix arrives later.
      expect(reader.push(bytes.subarray(0, 1))).toEqual([]);
      const sentences = reader.push(bytes.subarray(1));
      expect(sentences).toHaveLength(1);
      expect(sentences[0]?.[0]?.length).toBe(length);
    },
  );

  it('reads a 1 MiB word arriving in 1000-byte pieces', () => {
    const reader = new SentenceReader();
    const word = Buffer.alloc(1024 * 1024, 0x61);
    word[word.length - 1] = 0x62;
    const bytes = encodeSentence(['=big=', word]);
    const got: Buffer[][] = [];
    for (let i = 0; i < bytes.length; i += 1000) got.push(...reader.push(bytes.subarray(i, i + 1000)));
    expect(got).toHaveLength(1);
    expect(got[0]?.[1]?.equals(word)).toBe(true);
  });

  it('waits for the body of a word announced with the five-byte 0xF0 prefix', () => {
    const reader = new SentenceReader({ maxWordLength: 0x10000000 });
    expect(reader.push(Uint8Array.of(0xf0, 0x10, 0x00, 0x00, 0x00, 0x61))).toEqual([]);
  });

  it('refuses a word longer than the configured limit instead of buffering it', () => {
    const reader = new SentenceReader({ maxWordLength: 1000 });
    expect(() => reader.push(Uint8Array.of(0x83, 0xe9))).toThrow(/exceeds 1000/);
  });

  it('rejects a reserved control byte where a word length should start', () => {
    const reader = new SentenceReader();
    expect(() => reader.push(Uint8Array.of(0x03, 0x61, 0x62, 0x63, 0xf8))).toThrow(
      /reserved control byte 0xf8/,
    );
  });

  it('yields an empty sentence for a lone terminator (callers ignore it)', () => {
    const reader = new SentenceReader();
    expect(reader.push(Uint8Array.of(0x00))).toEqual([[]]);
  });
});
