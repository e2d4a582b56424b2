// Puts reply sentences on the socket in the segmentation the active fault asks for, keeping
// their order when the mode changes mid-stream and closing only after queued bytes are out.
import type { Socket } from 'node:net';
import { encodeSentence } from '../protocol/word.codec.ts';
import type { WriteMode } from './fault.controller.ts';

export class ReplyWriter {
  readonly #socket: Socket;
  readonly #mode: () => WriteMode;
  #queue: Buffer[] = [];
  #flushScheduled = false;
  #dripping = false;
  #ending = false;

  constructor(socket: Socket, mode: () => WriteMode) {
    this.#socket = socket;
    this.#mode = mode;
  }

  /** False once `end()` was called or the socket went away; further sentences are dropped. */
  get open(): boolean {
    return !this.#ending && !this.#socket.destroyed;
  }

  send(words: readonly string[]): void {
    if (!this.open) return;
    const bytes = encodeSentence(words);
    const mode = this.#mode();
    if (mode === 'normal' && this.#queue.length === 0 && !this.#dripping) {
      this.#socket.write(bytes);
      return;
    }
    this.#queue.push(bytes);
    if (mode === 'byte-by-byte') this.#startDrip();
    else this.#scheduleFlush();
  }

  /** Half-closes the connection once everything already queued has been written. */
  end(): void {
    if (this.#ending) return;
    this.#ending = true;
    this.#endIfIdle();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#dripping) return;
    this.#flushScheduled = true;
    // Everything produced in this turn of the event loop leaves in one write.
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#queue.length > 0 && !this.#socket.destroyed) this.#socket.write(Buffer.concat(this.#queue));
    this.#queue = [];
    this.#endIfIdle();
  }

  #startDrip(): void {
    if (this.#dripping) return;
    this.#dripping = true;
    this.#socket.setNoDelay(true);
    this.#drip();
  }

  readonly #drip = (): void => {
    if (this.#socket.destroyed) return;
    if (this.#mode() !== 'byte-by-byte') {
      this.#dripping = false;
      this.#flush();
      return;
    }
    const head = this.#queue[0];
    if (!head) {
      this.#dripping = false;
      this.#endIfIdle();
      return;
    }
    if (head.length <= 1) this.#queue.shift();
    else this.#queue[0] = head.subarray(1);
    this.#socket.write(head.subarray(0, 1), () => setImmediate(this.#drip));
  };

  #endIfIdle(): void {
    if (this.#ending && this.#queue.length === 0 && !this.#dripping && !this.#flushScheduled) {
      this.#socket.end();
    }
  }
}
