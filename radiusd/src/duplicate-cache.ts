// RFC 5080 §2.2.2 duplicate detection: a retransmission (same source, Identifier and
// Request Authenticator) gets the cached reply; one still being processed is dropped.
//
// Every request passes through here, so entries are as small as they can be: the map's
// value is the reply itself (null while in flight), and expiry is by generation — two maps,
// the older dropped whole every ttl — rather than a timestamp object per entry and a sweep
// over all of them. An entry is remembered for at least ttl and at most twice that, like
// FreeRADIUS's cleanup_delay (5 s by default).

export type DuplicateState = { kind: 'new' } | { kind: 'in_flight' } | { kind: 'answered'; reply: Buffer };

/** Room for an IPv6 address with a zone (at most 64 characters are kept), port, Identifier, authenticator. */
const scratch = Buffer.alloc(64 + 2 + 1 + 16);

const NEW: DuplicateState = Object.freeze({ kind: 'new' });
const IN_FLIGHT: DuplicateState = Object.freeze({ kind: 'in_flight' });

export class DuplicateCache {
  #current = new Map<string, Buffer | null>();
  #previous = new Map<string, Buffer | null>();
  #rotatedAt: number;
  readonly #ttlMs: number;

  constructor(ttlMs = 5_000, now = Date.now()) {
    this.#ttlMs = ttlMs;
    this.#rotatedAt = now;
  }

  /**
   * One flat string per request — source address, port, Identifier and Request
   * Authenticator as bytes — rather than a template literal's tree of string pieces, which
   * would stay in the map as several heap objects per entry.
   */
  static key(address: string, port: number, identifier: number, authenticator: Buffer): string {
    const n = scratch.write(address, 0, 64, 'latin1');
    scratch.writeUInt16BE(port, n);
    scratch[n + 2] = identifier;
    authenticator.copy(scratch, n + 3, 0, 16);
    return scratch.toString('latin1', 0, n + 19);
  }

  begin(key: string, now = Date.now()): DuplicateState {
    this.sweep(now);
    const reply = this.#current.has(key) ? this.#current.get(key) : this.#previous.get(key);
    if (reply !== undefined) return reply ? { kind: 'answered', reply } : IN_FLIGHT;
    this.#current.set(key, null);
    return NEW;
  }

  answer(key: string, reply: Buffer, now = Date.now()): void {
    this.sweep(now);
    this.#current.set(key, reply);
    this.#previous.delete(key);
  }

  /** Forget a request that produced no reply (dropped), so a retransmission is tried afresh. */
  abandon(key: string): void {
    this.#current.delete(key);
    this.#previous.delete(key);
  }

  /** Drops the older generation once it is ttl old; called on every request and by a timer. */
  sweep(now = Date.now()): void {
    if (now - this.#rotatedAt < this.#ttlMs) return;
    // Idle for two generations or more: everything is stale.
    this.#previous = now - this.#rotatedAt < 2 * this.#ttlMs ? this.#current : new Map();
    this.#current = new Map();
    this.#rotatedAt = now;
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}
