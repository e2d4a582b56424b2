// Ends sessions that have run out mid-session: when accounting shows a voucher's time,
// data or validity is used up, radiusd sends a Disconnect-Request to the NAS (RFC 5176).
// Runs off the packet path: the Accounting-Response never waits for it.
import type { Logger } from 'pino';
import { maskUserName, sendDisconnect, type AttributeInput } from '@kasi/radius';
import type { RadiusMetrics } from './metrics.ts';
import type { NasEntry } from './nas-cache.ts';

export interface SessionRef {
  userName: string;
  acctSessionId: string;
  framedIp: string | null;
}

export class SessionEnforcer {
  readonly #log: Logger;
  readonly #metrics: RadiusMetrics;
  /** One disconnect at a time per session, however many interims arrive meanwhile. */
  readonly #pending = new Set<string>();

  constructor(log: Logger, metrics: RadiusMetrics) {
    this.#log = log;
    this.#metrics = metrics;
  }

  get pending(): number {
    return this.#pending.size;
  }

  disconnect(nas: NasEntry, session: SessionRef): Promise<void> {
    const key = `${nas.id}|${session.userName}|${session.acctSessionId}`;
    if (this.#pending.has(key)) return Promise.resolve();
    this.#pending.add(key);
    const attributes: AttributeInput[] = [
      ['User-Name', session.userName],
      ['Acct-Session-Id', session.acctSessionId],
    ];
    if (session.framedIp) attributes.push(['Framed-IP-Address', session.framedIp]);
    return sendDisconnect({
      host: nas.address,
      port: nas.coaPort,
      secret: nas.secret,
      attributes,
      timeoutMs: 1000,
      retries: 2,
    })
      .then((result) => {
        this.#metrics.request('disconnect', result.status);
        this.#log.info(
          { nas: nas.name, user: maskUserName(session.userName), result: result.status },
          'quota exhausted: disconnect sent',
        );
      })
      .catch((err: unknown) => this.#log.error({ err, nas: nas.name }, 'disconnect failed'))
      .finally(() => this.#pending.delete(key));
  }
}
