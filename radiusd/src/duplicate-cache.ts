// RFC 5080 §2.2.2 duplicate detection: a retransmission (same source, Identifier and
// Request Authenticator) gets the cached reply; one still being processed is dropped.

export type DuplicateState = { kind: 'new' } | { kind: 'in_flight' } | { kind: 'answered'; reply: Buffer };

interface Entry {
  reply: Buffer | null;
  expires: number;
}

export class DuplicateCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;

  constructor(ttlMs = 10_000) {
    this.#ttlMs = ttlMs;
  }

  static key(address: string, port: number, identifier: number, authenticator: Buffer): string {
    return `${address}|${port}|${identifier}|${authenticator.toString('base64')}`;
  }

  begin(key: string, now = Date.now()): DuplicateState {
    const e = this.#entries.get(key);
    if (e && e.expires > now) return e.reply ? { kind: 'answered', reply: e.reply } : { kind: 'in_flight' };
    this.#entries.set(key, { reply: null, expires: now + this.#ttlMs });
    return { kind: 'new' };
  }

  answer(key: string, reply: Buffer, now = Date.now()): void {
    this.#entries.set(key, { reply, expires: now + this.#ttlMs });
  }

  /** Forget a request that produced no reply (dropped), so a retransmission is tried afresh. */
  abandon(key: string): void {
    this.#entries.delete(key);
  }

  sweep(now = Date.now()): void {
    for (const [k, e] of this.#entries) if (e.expires <= now) this.#entries.delete(k);
  }

  get size(): number {
    return this.#entries.size;
  }
}
