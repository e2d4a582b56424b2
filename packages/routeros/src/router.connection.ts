// Keeps one session to one router: opens it on first use, notices when it ends (!fatal, a
// dropped socket, an idle timeout) and opens a new one on the next call, waiting with jittered
// exponential backoff between failed attempts and giving up after a bounded number per call.
// While the session holds RouterOS safe mode, calls stay on it: if it ends they fail with
// ROUTER.SAFE_MODE_LOST instead of reconnecting, since a new session would be outside safe mode.
import { setTimeout as sleep } from 'node:timers/promises';
import { commandOf } from './command.words.ts';
import { backoffDelay } from './reconnect.backoff.ts';
import { isRetryable, RouterError, toRouterError } from './router.errors.ts';
import type { ResolvedRouterOptions, RouterLogEvent } from './router.options.ts';
import type { RouterRow } from './row.reader.ts';
import { openSession } from './router.session.ts';
import type { RouterSession } from './router.session.ts';

export class RouterConnection {
  readonly #options: ResolvedRouterOptions;
  readonly #random: () => number;
  #session: RouterSession | undefined;
  /** The session that holds safe mode (kept after it ends, so calls fail until acknowledged). */
  #held: RouterSession | undefined;
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

  /** True from a successful `hold` until `unhold` or `drop`, even if the session has ended. */
  get holding(): boolean {
    return this.#held !== undefined;
  }

  async call(words: readonly string[], timeoutMs = this.#options.target.timeoutMs): Promise<RouterRow[]> {
    return this.#runOn(await this.#sessionForCall(), words, timeoutMs);
  }

  /** Runs `words` (/safe-mode/take) and keeps every later call on the session it ran on. */
  async hold(words: readonly string[]): Promise<void> {
    const session = await this.#sessionForCall();
    await this.#runOn(session, words, this.#options.target.timeoutMs);
    // Should the session already have ended, calls now fail with SAFE_MODE_LOST: as they must.
    this.#held = session;
  }

  /** Runs `words` (/safe-mode/release or unroll) on the held session, then lets calls reconnect again. */
  async unhold(words: readonly string[]): Promise<void> {
    try {
      await this.call(words);
      this.#held = undefined;
    } catch (error) {
      // A trap leaves safe mode held (the caller may unroll or drop); a lost session does not.
      if (!this.#held?.isOpen) this.#held = undefined;
      throw error;
    }
  }

  /** Ends the held session without /quit or release: RouterOS undoes what was changed under it. */
  async drop(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    if (!held) return;
    if (this.#session === held) this.#session = undefined;
    await held.close(this.#options.target.timeoutMs);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#held = undefined;
    const session = this.#session;
    this.#session = undefined;
    await session?.close(this.#options.target.timeoutMs);
  }

  async #runOn(session: RouterSession, words: readonly string[], timeoutMs: number): Promise<RouterRow[]> {
    try {
      return await session.run(words, timeoutMs);
    } catch (error) {
      const routerError = toRouterError(error, 'call');
      const level = routerError.code === 'ROUTER.TRAP' ? 'info' : 'warn';
      this.#log(level, 'router.call_failed', { command: commandOf(words), ...describe(routerError) });
      const ended = routerError.code === 'ROUTER.UNREACHABLE' || routerError.code === 'ROUTER.FATAL';
      throw session === this.#held && ended ? safeModeLost(routerError) : routerError;
    }
  }

  #sessionForCall(): Promise<RouterSession> {
    const held = this.#held;
    if (!held) return this.#ready();
    return held.isOpen ? Promise.resolve(held) : Promise.reject(safeModeLost());
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
    if (this.#held === session) this.#log('warn', 'router.safe_mode_lost', describe(reason));
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

function safeModeLost(cause?: RouterError): RouterError {
  return new RouterError(
    'ROUTER.SAFE_MODE_LOST',
    'the session holding safe mode ended; the router undoes the changes made under it',
    cause ? { cause } : {},
  );
}

function describe(error: RouterError): Pick<RouterLogEvent, 'code' | 'message'> {
  return { code: error.code, message: error.message };
}
