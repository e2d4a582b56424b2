// Login rate limiting: failures are counted per key in a sliding window; past a key's
// limit, attempts are refused before any password check. Several keys with their own
// limits let one person's typos lock only that account from that address, while a
// guessing attack across accounts or addresses still hits a wall.
import { rateLimited } from '@kasi/domain';

export interface ThrottleKey {
  key: string;
  max: number;
}

export interface ThrottleOptions {
  windowMs: number;
  now?: () => number;
}

export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(opts: ThrottleOptions) {
    this.#windowMs = opts.windowMs;
    this.#now = opts.now ?? Date.now;
  }

  #recent(key: string): number[] {
    const cutoff = this.#now() - this.#windowMs;
    const kept = (this.#failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length) this.#failures.set(key, kept);
    else this.#failures.delete(key);
    return kept;
  }

  assertAllowed(keys: ThrottleKey[]): void {
    for (const { key, max } of keys) {
      const recent = this.#recent(key);
      if (recent.length >= max) {
        const retryAfterMs = (recent[0] ?? 0) + this.#windowMs - this.#now();
        throw rateLimited('AUTH.TOO_MANY_ATTEMPTS', 'Too many failed logins. Try again later.', {
          retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
        });
      }
    }
  }

  recordFailure(keys: ThrottleKey[]): void {
    for (const { key } of keys) this.#failures.set(key, [...this.#recent(key), this.#now()]);
  }

  recordSuccess(keys: ThrottleKey[]): void {
    for (const { key } of keys) this.#failures.delete(key);
  }
}

/** The keys for one login attempt: account at address (tight), account anywhere, address. */
export function loginKeys(email: string, ip: string): { all: ThrottleKey[]; account: ThrottleKey[] } {
  const account = [
    { key: `acct-ip:${email}|${ip}`, max: 5 },
    { key: `acct:${email}`, max: 20 },
  ];
  return { all: [...account, { key: `ip:${ip}`, max: 50 }], account };
}
