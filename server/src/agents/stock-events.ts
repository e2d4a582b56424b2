// "Your stock changed" for agents' phones (ADR 0033). Every change to what a phone holds moves
// its feed version (device.repository.ts `bumpFeedVersion`: stock issued, a lease revoked, the
// phone revoked or lost); the same statement's transaction sends `pg_notify('kasi_agent_feed',
// <device id>)`, which PostgreSQL delivers at commit — never for a rolled-back change — to
// every Kasi process listening. Each process holds one LISTEN connection (opened on the first
// phone that connects) and tells the phones connected to it over Server-Sent Events
// (agent-events.route.ts); the phone then syncs as it always does. The notification carries
// only the device id: nothing a listener could not already read.
import type { Executor } from '@kasi/db';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';

export const FEED_CHANNEL = 'kasi_agent_feed';

/** In the transaction that moved the device's feed version. */
export async function notifyFeedChanged(tx: Executor, deviceId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${FEED_CHANNEL}, ${deviceId})`);
}

type Listener = () => void;

/** One process's view of the channel: who is waiting for which device. */
export class StockEvents {
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #sql: postgres.Sql;
  #listening: Promise<void> | null = null;
  #stop: (() => Promise<void>) | null = null;

  constructor(client: postgres.Sql) {
    this.#sql = client;
  }

  /** Starts listening if not yet; resolves once the LISTEN is in place. */
  ready(): Promise<void> {
    this.#listening ??= this.#sql
      .listen(
        FEED_CHANNEL,
        (deviceId) => this.#emit(deviceId),
        // (Re)connected after a drop: changes may have been missed meanwhile; everyone syncs.
        () => this.#emitAll(),
      )
      .then((meta) => {
        this.#stop = () => meta.unlisten();
      })
      .catch((e: unknown) => {
        this.#listening = null;
        throw e;
      });
    return this.#listening;
  }

  /** `fn` runs after each committed change of the device's stock; returns the unsubscribe. */
  subscribe(deviceId: string, fn: Listener): () => void {
    let set = this.#listeners.get(deviceId);
    if (!set) this.#listeners.set(deviceId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.#listeners.delete(deviceId);
    };
  }

  /** Phones connected to this process (all devices). */
  get connections(): number {
    let n = 0;
    for (const s of this.#listeners.values()) n += s.size;
    return n;
  }

  async close(): Promise<void> {
    await this.#stop?.();
    this.#stop = null;
    this.#listening = null;
  }

  #emit(deviceId: string) {
    for (const fn of this.#listeners.get(deviceId) ?? []) fn();
  }

  #emitAll() {
    for (const set of this.#listeners.values()) for (const fn of set) fn();
  }
}

const perClient = new WeakMap<postgres.Sql, StockEvents>();

/** The process's StockEvents for this database client (one LISTEN connection per client). */
export function stockEventsOf(client: postgres.Sql): StockEvents {
  let events = perClient.get(client);
  if (!events) perClient.set(client, (events = new StockEvents(client)));
  return events;
}
