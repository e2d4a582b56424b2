// Keeps one session to one router: opens it on first use, notices when it ends (!fatal, a
// dropped socket, an idle timeout) and opens a new one on the next call, waiting with jittered
// exponential backoff between failed attempts and giving up after a bounded number per call.
import { setTimeout as sleep } from 'node:timers/promises';
import { commandOf } from './command.words.ts';
import { backoffDelay } from './reconnect.backoff.ts';
import type { RouterError } from './router.errors.ts';
import { isRetryable, toRouterError } from './router.errors.ts';
import type { ResolvedRouterOptions, RouterLogEvent } from './router.options.ts';
import type { RouterRow } from './row.reader.ts';
import { openSession } from './router.session.ts';
import type { RouterSession } from './router.session.ts';

export class RouterConnection {
  readonly #options: ResolvedRouterOptions;
  readonly #random: () => number;
  #session: RouterSession | undefined;
  #opening: Promise<RouterSession> | undefined;
  /** Consecutive failed connection attempts, across calls; reset by a successful login. */
  #failures = 0;
  #closed = false;

  constructor(options: ResolvedRouterOptions, random: () => number = Math.random) {
    this.#options = options;
    this.#random = random;
  }

  get router(): string {
    return this.#options.router;
  }

  /** True while a logged-in session is up (it may still end before the next call). */
  get connected(): boolean {
    return this.#session?.isOpen ?? false;
  }

  /** Opens the session now instead of on the first call. */
  async open(): Promise<void> {
    await this.#ready();
  }

  async call(words: readonly string[], timeoutMs = this.#options.target.timeoutMs): Promise<RouterRow[]> {
    const session = await this.#ready();
    try {
      return await session.run(words, timeoutMs);
    } catch (error) {
      const routerError = toRouterError(error, 'call');
      const level = routerError.code === 'ROUTER.TRAP' ? 'info' : 'warn';
      this.#log(level, 'router.call_failed', { command: commandOf(words), ...describe(routerError) });
      throw routerError;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    await session?.close(this.#options.target.timeoutMs);
  }

  #ready(): Promise<RouterSession> {
    if (this.#closed) return Promise.reject(new Error(`RouterClient for ${this.router} is closed`));
    if (this.#session?.isOpen) return Promise.resolve(this.#session);
    this.#opening ??= this.#reconnect().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async #reconnect(): Promise<RouterSession> {
    const { backoff } = this.#options;
    let wait = backoffDelay(this.#failures, backoff, this.#random);
    for (let attempt = 1; ; attempt++) {
      if (wait > 0) await sleep(wait);
      if (this.#closed) throw new Error(`RouterClient for ${this.router} is closed`);
      try {
        return await this.#connectOnce(attempt);
      } catch (error) {
        const routerError = toRouterError(error, 'connect');
        this.#failures += 1;
        const retry = isRetryable(routerError) && attempt < backoff.attemptsPerCall;
        wait = backoffDelay(this.#failures, backoff, this.#random);
        const next = retry ? { retryInMs: wait } : {};
        this.#log('warn', 'router.connect_failed', { attempt, ...next, ...describe(routerError) });
        if (!retry) throw routerError;
      }
    }
  }

  async #connectOnce(attempt: number): Promise<RouterSession> {
    const session = await openSession(this.#options.target, (ended, reason) => this.#onEnded(ended, reason));
    if (this.#closed) {
      await session.close(this.#options.target.timeoutMs);
      throw new Error(`RouterClient for ${this.router} is closed`);
    }
    this.#failures = 0;
    this.#session = session;
    this.#log('info', 'router.connected', { attempt });
    const warning = this.#options.insecureWarning;
    if (warning) this.#log('warn', 'router.insecure_transport', { message: warning });
    return session;
  }

  #onEnded(session: RouterSession, reason: RouterError): void {
    if (this.#session === session) this.#session = undefined;
    // An idle session timing out is routine; one that ends under a running command is not.
    this.#log(session.inFlight > 0 ? 'warn' : 'info', 'router.disconnected', describe(reason));
  }

  #log(
    level: RouterLogEvent['level'],
    event: RouterLogEvent['event'],
    fields: Partial<RouterLogEvent>,
  ): void {
    try {
      this.#options.log({ level, event, router: this.router, ...fields });
    } catch {
      // A failing logger must not turn a router call into a crash.
    }
  }
}

function describe(error: RouterError): Pick<RouterLogEvent, 'code' | 'message'> {
  return { code: error.code, message: error.message };
}
