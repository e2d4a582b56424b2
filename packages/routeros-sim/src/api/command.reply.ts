// Builds the reply sentences of one command (`!re`, `!done`, `!trap`, `!empty`) with its tag,
// and remembers whether the command has finished so nothing is sent after `!done`.
import type { Row } from '../state/menu.schema.ts';
import type { TrapError } from '../state/router.errors.ts';

export interface ReplySink {
  send(words: readonly string[]): void;
  tagPosition(): 'first' | 'last';
}

export class CommandReply {
  readonly #sink: ReplySink;
  readonly #tag: string | undefined;
  #finished = false;

  constructor(sink: ReplySink, tag: string | undefined) {
    this.#sink = sink;
    this.#tag = tag;
  }

  get finished(): boolean {
    return this.#finished;
  }

  re(row: Row): void {
    this.#send('!re', row);
  }

  /** 7.18+: the command produced no data. */
  empty(): void {
    this.#send('!empty', {});
  }

  trap(error: TrapError): void {
    const attrs: Row = error.category === undefined ? {} : { category: String(error.category) };
    this.#send('!trap', { ...attrs, message: error.message });
  }

  done(ret?: string): void {
    this.#send('!done', ret === undefined ? {} : { ret });
    this.#finished = true;
  }

  #send(reply: string, attrs: Row): void {
    if (this.#finished) return;
    const words = Object.entries(attrs).map(([k, v]) => `=${k}=${v}`);
    if (this.#tag === undefined) this.#sink.send([reply, ...words]);
    else if (this.#sink.tagPosition() === 'first') this.#sink.send([reply, `.tag=${this.#tag}`, ...words]);
    else this.#sink.send([reply, ...words, `.tag=${this.#tag}`]);
  }
}
