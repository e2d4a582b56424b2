// Login rate limiting: failures are counted per account and per client address in a
// sliding window; past the limit, attempts are refused before any password check.
import { rateLimited } from '@kasi/domain';

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  now?: () => number;
}

export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #opts: Required<ThrottleOptions>;

  constructor(opts: ThrottleOptions) {
    this.#opts = { now: Date.now, ...opts };
  }

  #recent(key: string): number[] {
    const cutoff = this.#opts.now() - this.#opts.windowMs;
    const kept = (this.#failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length) this.#failures.set(key, kept);
    else this.#failures.delete(key);
    return kept;
  }

  assertAllowed(keys: string[]): void {
    for (const key of keys) {
      const recent = this.#recent(key);
      if (recent.length >= this.#opts.maxFailures) {
        const retryAfterMs = (recent[0] ?? 0) + this.#opts.windowMs - this.#opts.now();
        throw rateLimited('AUTH.TOO_MANY_ATTEMPTS', 'Too many failed logins. Try again later.', {
          retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
        });
      }
    }
  }

  recordFailure(keys: string[]): void {
    for (const key of keys) this.#failures.set(key, [...this.#recent(key), this.#opts.now()]);
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.#failures.delete(key);
  }
}
