// One logged-in API session on top of node-routeros (pinned and patched, docs/adr/0005): opens
// it with Kasi's TLS settings, runs one command under a deadline and reports once when the
// session ends. Reconnecting is the caller's business (router.connection.ts).
import type { ConnectionOptions } from 'node:tls';
import { RouterOSAPI } from 'node-routeros';
import { commandOf } from './command.words.ts';
import { RouterError, toRouterError } from './router.errors.ts';
import type { RouterRow } from './row.reader.ts';

/** The tls.connect options Kasi sets (node-routeros types them as server options). */
export type SessionTls = Pick<
  ConnectionOptions,
  'ca' | 'servername' | 'checkServerIdentity' | 'rejectUnauthorized' | 'minVersion'
>;

export interface SessionTarget {
  host: string;
  port: number;
  /** undefined: plain API (only when the operator allowed it). */
  tls: SessionTls | undefined;
  username: string;
  password: string;
  timeoutMs: number;
}

export type SessionEndHandler = (session: RouterSession, reason: RouterError) => void;

export class RouterSession {
  readonly #api: RouterOSAPI;
  #open = false;
  #inFlight = 0;
  #onEnd: SessionEndHandler | undefined;

  constructor(api: RouterOSAPI) {
    this.#api = api;
    // Listeners go on before connect(): node-routeros re-emits socket errors and idle timeouts
    // as 'error', and an EventEmitter without an 'error' listener throws.
    api.on('error', (error: unknown) => this.#ended(toRouterError(error, 'call')));
    api.on('close', () =>
      this.#ended(new RouterError('ROUTER.UNREACHABLE', 'the router closed the connection')),
    );
  }

  get isOpen(): boolean {
    return this.#open && this.#api.connected;
  }

  /** Commands sent and not yet answered (an idle session that times out is no incident). */
  get inFlight(): number {
    return this.#inFlight;
  }

  markOpen(onEnd: SessionEndHandler): void {
    this.#open = true;
    this.#onEnd = onEnd;
  }

  async run(words: readonly string[], timeoutMs: number): Promise<RouterRow[]> {
    if (!this.isOpen) throw new RouterError('ROUTER.UNREACHABLE', 'the session to the router has ended');
    this.#inFlight += 1;
    try {
      const reply = this.#api.write([...words]);
      const late = () =>
        new RouterError('ROUTER.TIMEOUT', `${commandOf(words)}: no reply within ${timeoutMs} ms`);
      const rows = await withDeadline(reply, timeoutMs, late);
      return rows.map(toRow);
    } catch (error) {
      throw toRouterError(error, 'call');
    } finally {
      this.#inFlight -= 1;
    }
  }

  /** Ends the session politely; gives up waiting after timeoutMs (the socket then idles out). */
  async close(timeoutMs: number): Promise<void> {
    this.#open = false;
    this.#onEnd = undefined;
    const closing = this.#api.close();
    await withDeadline(closing, timeoutMs, () => new Error('close timed out')).catch(() => undefined);
  }

  #ended(reason: RouterError): void {
    if (!this.#open) return;
    this.#open = false;
    const onEnd = this.#onEnd;
    this.#onEnd = undefined;
    onEnd?.(this, reason);
  }
}

/** Connects and logs in, within timeoutMs overall (TCP + TLS handshake + /login). */
export async function openSession(target: SessionTarget, onEnd: SessionEndHandler): Promise<RouterSession> {
  const api = new RouterOSAPI({
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
    // node-routeros uses one socket inactivity timeout (seconds) for connecting and for idle
    // sessions; an idle session therefore ends after timeoutMs and the next call reconnects.
    timeout: target.timeoutMs / 1000,
    ...(target.tls ? { tls: target.tls } : {}),
  });
  const session = new RouterSession(api);
  const connecting = api.connect();
  try {
    const late = () => new RouterError('ROUTER.TIMEOUT', `no login within ${target.timeoutMs} ms`);
    await withDeadline(connecting, target.timeoutMs, late);
  } catch (error) {
    // A login that completes after we gave up must not leave a session open on the router.
    connecting
      .then(
        () => api.close(),
        () => undefined,
      )
      .catch(() => undefined);
    throw toRouterError(error, 'connect');
  }
  session.markOpen(onEnd);
  return session;
}

/** Settles with `promise`, or rejects with `onTimeout()` after ms; a late rejection is swallowed. */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  void promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function toRow(record: Record<string, unknown>): RouterRow {
  const row: Record<string, string> = {};
  for (const [name, value] of Object.entries(record)) row[name] = String(value);
  return row;
}
