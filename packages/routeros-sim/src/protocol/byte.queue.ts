// A FIFO of received chunks that hands out exact byte counts without re-copying the whole
// backlog on every chunk, so a 1 MiB word arriving in many small reads stays linear.

export class ByteQueue {
  #chunks: Buffer[] = [];
  #offset = 0; // bytes already consumed from #chunks[0]
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    this.#size += chunk.length;
  }

  /** The byte at `index` from the front, or undefined when not yet received. */
  peekByte(index: number): number | undefined {
    let skip = index + this.#offset;
    for (const chunk of this.#chunks) {
      if (skip < chunk.length) return chunk[skip];
      skip -= chunk.length;
    }
    return undefined;
  }

  /** Removes and returns exactly `count` bytes; the caller checks `size` first. */
  take(count: number): Buffer {
    if (count > this.#size) throw new RangeError(`asked for ${count} bytes, have ${this.#size}`);
    const first = this.#chunks[0];
    if (first && first.length - this.#offset >= count) {
      const out = first.subarray(this.#offset, this.#offset + count);
      this.#advance(count);
      return out;
    }
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.#chunks[0];
      if (!chunk) break;
      const n = Math.min(chunk.length - this.#offset, count - filled);
      chunk.copy(out, filled, this.#offset, this.#offset + n);
      filled += n;
      this.#advance(n);
    }
    return out;
  }

  #advance(count: number): void {
    this.#offset += count;
    this.#size -= count;
    while (this.#chunks[0] && this.#offset >= this.#chunks[0].length) {
      this.#offset -= this.#chunks[0].length;
      this.#chunks.shift();
    }
  }
}
