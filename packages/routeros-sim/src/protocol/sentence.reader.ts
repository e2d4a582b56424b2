// Incremental sentence reader: feed it whatever the socket delivers (single bytes, split
// length prefixes, several sentences in one chunk) and it returns the complete sentences.
import { ByteQueue } from './byte.queue.ts';
import { WordFormatError, decodeLength, lengthPrefixSize } from './word.codec.ts';

export interface SentenceReaderOptions {
  /** Words longer than this are refused rather than buffered (protects the emulator's memory). */
  maxWordLength?: number;
}

const DEFAULT_MAX_WORD = 64 * 1024 * 1024;

export class SentenceReader {
  readonly #queue = new ByteQueue();
  readonly #maxWordLength: number;
  #words: Buffer[] = [];
  #pendingLength: number | undefined; // length of the word whose body has not fully arrived

  constructor(options: SentenceReaderOptions = {}) {
    this.#maxWordLength = options.maxWordLength ?? DEFAULT_MAX_WORD;
  }

  /** Words already read for the sentence still in progress (for diagnostics and tests). */
  get partialWordCount(): number {
    return this.#words.length;
  }

  /** Feeds bytes; returns every sentence completed by them. Throws WordFormatError on bad input. */
  push(chunk: Uint8Array): Buffer[][] {
    this.#queue.push(chunk);
    const sentences: Buffer[][] = [];
    for (;;) {
      const word = this.#nextWord();
      if (word === undefined) return sentences;
      if (word.length > 0) {
        this.#words.push(word);
        continue;
      }
      sentences.push(this.#words);
      this.#words = [];
    }
  }

  #nextWord(): Buffer | undefined {
    if (this.#pendingLength === undefined) {
      const length = this.#readLength();
      if (length === undefined) return undefined;
      this.#pendingLength = length;
    }
    if (this.#queue.size < this.#pendingLength) return undefined;
    const word = this.#queue.take(this.#pendingLength);
    this.#pendingLength = undefined;
    return word;
  }

  #readLength(): number | undefined {
    const first = this.#queue.peekByte(0);
    if (first === undefined) return undefined;
    const size = lengthPrefixSize(first);
    if (this.#queue.size < size) return undefined;
    const length = decodeLength(this.#queue.take(size));
    if (length > this.#maxWordLength) {
      throw new WordFormatError('WORD_TOO_LONG', `word of ${length} bytes exceeds ${this.#maxWordLength}`);
    }
    return length;
  }
}

/** Decodes a sentence's words as UTF-8 text, the form the command layer works with. */
export function sentenceToText(words: readonly Buffer[]): string[] {
  return words.map((w) => w.toString('utf8'));
}
