// A deliberately small API client for the emulator's own specs: raw sentences in, raw
// sentences out, so tests can assert exact words, ordering, tags and TCP segmentation.
// (The cross-check against a third-party client lives in node-routeros.spec.ts.)
import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { SentenceReader, sentenceToText } from '../protocol/sentence.reader.ts';
import { encodeSentence } from '../protocol/word.codec.ts';

export type Sentence = string[];

export interface TestClientOptions {
  host?: string;
  tls?: { ca: string | Buffer };
}

export class TestApiClient {
  readonly socket: Socket;
  /** Every data chunk as received, to check how replies were segmented. */
  readonly chunks: Buffer[] = [];
  /** Every sentence in arrival order (kept even after `next` consumed it). */
  readonly received: Sentence[] = [];
  readonly closed: Promise<void>;
  readonly #reader = new SentenceReader();
  readonly #inbox: Sentence[] = [];
  readonly #waiters = new Set<() => void>();
  #isClosed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      for (const words of this.#reader.push(chunk)) {
        const sentence = sentenceToText(words);
        this.received.push(sentence);
        this.#inbox.push(sentence);
      }
      this.#wakeAll();
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#isClosed = true;
        this.#wakeAll();
        resolve();
      }),
    );
    socket.on('error', () => undefined);
  }

  static connect(port: number, options: TestClientOptions = {}): Promise<TestApiClient> {
    const host = options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const socket = options.tls
        ? connectTls({ host, port, ca: options.tls.ca, servername: 'localhost' }, () => resolve(client))
        : connectTcp({ host, port }, () => resolve(client));
      const client = new TestApiClient(socket);
      socket.once('error', reject);
    });
  }

  #wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  send(words: readonly string[]): void {
    this.socket.write(encodeSentence(words));
  }

  /** The next sentence matching `predicate` (removed from the inbox); rejects after `timeoutMs`. */
  async next(predicate: (s: Sentence) => boolean = () => true, timeoutMs = 2000): Promise<Sentence> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#inbox.findIndex(predicate);
      if (index >= 0) return this.#inbox.splice(index, 1)[0] ?? [];
      const left = deadline - Date.now();
      if (left <= 0 || this.#isClosed) throw new Error(`no matching sentence (closed=${this.#isClosed})`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  /** Sentences of one reply (by tag, or untagged) up to and including `!done` or `!fatal`. */
  async reply(tag?: string, timeoutMs = 2000): Promise<Sentence[]> {
    const out: Sentence[] = [];
    for (;;) {
      const s = await this.next((x) => tagOf(x) === tag || x[0] === '!fatal', timeoutMs);
      out.push(s);
      if (s[0] === '!done' || s[0] === '!fatal') return out;
    }
  }

  /** Sends a command and waits for its whole reply. */
  async run(words: readonly string[], timeoutMs = 2000): Promise<Sentence[]> {
    this.send(words);
    return this.reply(tagOf(words), timeoutMs);
  }

  async login(name = 'admin', password = ''): Promise<Sentence[]> {
    return this.run(['/login', `=name=${name}`, `=password=${password}`]);
  }

  close(): void {
    this.socket.destroy();
  }
}

export function tagOf(sentence: readonly string[]): string | undefined {
  return sentence.find((w) => w.startsWith('.tag='))?.slice(5);
}

/** `=name=value` words of a sentence as an object (`.tag` excluded). */
export function attrs(sentence: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of sentence) {
    if (!word.startsWith('=')) continue;
    const at = word.indexOf('=', 1);
    out[word.slice(1, at)] = word.slice(at + 1);
  }
  return out;
}

/** The `!re` records of a reply, as objects. */
export function records(reply: readonly Sentence[]): Array<Record<string, string>> {
  return reply.filter((s) => s[0] === '!re').map(attrs);
}
