// Kasi's one way onto pg-boss (ADR 0009). `enqueue(tx, …)` inserts the job through the
// caller's own Drizzle transaction, so the job commits with the fact that caused it or not at
// all. pg-boss keeps its tables in the `pgboss` schema, which it creates and migrates itself
// when it starts; our drizzle migrations never touch that schema. The instance starts on first
// use (a CLI command that enqueues nothing never opens its pool) or when the server starts it.
import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import { PgBoss, type ConstructorOptions, type Db, type JobInsert } from 'pg-boss';
import { rawClient, type Executor } from '@kasi/db';
import type { Logger } from '../logger.ts';
import type { AnyJobKind, JobKind, JobSettings } from './job-kind.ts';

export const PGBOSS_SCHEMA = 'pgboss';

export interface EnqueueRequest<Data extends object> {
  kind: JobKind<Data>;
  data: Data;
  /**
   * Same kind and key, same job: enqueueing again (a replayed push, a run retried) adds
   * nothing while pg-boss still holds the first one, pending or finished. Becomes the job's id.
   */
  dedupeKey?: string;
  /** Not before this moment. */
  startAfter?: Date;
}

export interface ScheduleRequest<Data extends object> {
  kind: JobKind<Data>;
  /** 5-field cron, evaluated in `tz` (IANA zone, e.g. the tenant's `Africa/Nairobi`). */
  cron: string;
  tz: string;
  /** One schedule per key and kind: scheduling the same key again replaces it (e.g. the tenant id). */
  key: string;
  data: Data;
}

export interface JobQueueOptions {
  connectionString: string;
  log: Logger;
  kinds: readonly AnyJobKind[];
  settings: JobSettings;
  /**
   * The server process: pg-boss maintenance (expiry, retention deletes) and the cron pass that
   * turns schedules into jobs. Off for the CLI and for tests that only enqueue.
   */
  supervise?: boolean;
  /** Pool size of pg-boss's own connections (workers, maintenance). */
  poolSize?: number;
  pollingIntervalSeconds?: number;
  /**
   * Hold a LISTEN connection (pg-boss `useListenNotify`) so workers of kinds whose queue has
   * `notify` fetch as soon as a job for them commits, instead of at the next poll. The server
   * process listens; the CLI, which only enqueues, does not (its inserts still notify).
   */
  listen?: boolean;
}

/** A job id from a dedupe key: a UUID (version 8, name-based) that pg-boss's insert skips on conflict. */
export function dedupeJobId(kindName: string, dedupeKey: string): string {
  const h = createHash('sha256').update(`${kindName}\u0000${dedupeKey}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const isPlainObject = (v: unknown): v is object =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The caller's transaction (or pool) as the executor pg-boss runs its statements on. pg-boss
 * passes some jsonb values (a schedule's data and options) as objects, which node-postgres
 * serialises itself and postgres.js does not: they go as JSON text, cast by the statement.
 */
export function executorFor(tx: Executor): Db {
  return clientExecutor(rawClient(tx));
}

/** `executorFor` on a postgres.js client itself (a reserved connection, webhook-inbox.ts). */
export function clientExecutor(client: postgres.Sql): Db {
  return {
    // pg-boss's statements are of constant text (a few per queue): prepared once per connection,
    // each is one round trip, not two (`executePrepared`). Arrays go as array parameters.
    executeSql: async (text, values) => ({
      rows: await client.unsafe(
        text,
        (values ?? []).map((v) =>
          isPlainObject(v) ? JSON.stringify(v) : v,
        ) as postgres.ParameterOrJSON<never>[],
        { prepare: true },
      ),
    }),
  };
}

export class JobQueue {
  readonly #o: JobQueueOptions;
  readonly #kinds: ReadonlyMap<string, AnyJobKind>;
  #started: Promise<PgBoss> | null = null;

  constructor(options: JobQueueOptions) {
    this.#o = options;
    this.#kinds = new Map(options.kinds.map((k) => [k.name, k]));
  }

  get settings(): JobSettings {
    return this.#o.settings;
  }

  get pollingIntervalSeconds(): number {
    return this.#o.pollingIntervalSeconds ?? 2;
  }

  /** Starts pg-boss (installing or migrating its schema), then makes every kind's queue and schedule current. */
  start(): Promise<PgBoss> {
    this.#started ??= this.#start().catch((e: unknown) => {
      this.#started = null;
      throw e;
    });
    return this.#started;
  }

  /** The started pg-boss instance, for workers and read-only views (queue counts, a job's state). */
  boss(): Promise<PgBoss> {
    return this.start();
  }

  async #start(): Promise<PgBoss> {
    const supervise = this.#o.supervise ?? false;
    const options: ConstructorOptions = {
      connectionString: this.#o.connectionString,
      schema: PGBOSS_SCHEMA,
      application_name: 'kasi-jobs',
      max: this.#o.poolSize ?? 4,
      supervise,
      schedule: supervise,
      registerInstance: supervise,
      migrate: true,
      useListenNotify: this.#o.listen ?? false,
    };
    const boss = new PgBoss(options);
    const log = this.#o.log.child({ component: 'pg-boss' });
    // Errors from pg-boss's own timers (maintenance, polling) arrive here; an unhandled one would end the process.
    boss.on('error', (err) => {
      // PostgreSQL going down first (the embedded one stops on Ctrl-C too) is not pg-boss's fault.
      if ((err as { code?: unknown }).code === '57P01')
        log.warn('pg-boss lost its connection: PostgreSQL is stopping');
      else log.error({ err }, 'pg-boss error');
    });
    boss.on('warning', (w) => log.warn({ data: w.data }, w.message));
    await boss.start();
    for (const kind of this.#kinds.values()) await this.#ensureQueue(boss, kind);
    return boss;
  }

  async #ensureQueue(boss: PgBoss, kind: AnyJobKind): Promise<void> {
    const rules = kind.queue(this.#o.settings);
    // Several processes start at once: a queue another one created in between is fine.
    if (await boss.getQueue(kind.name)) await boss.updateQueue(kind.name, rules);
    else await boss.createQueue(kind.name, rules).catch(() => boss.updateQueue(kind.name, rules));
    if (kind.schedule) {
      // A server that was down at the hour runs the job once when it is back.
      await boss.schedule(kind.name, kind.schedule.cron, kind.schedule.data, {
        tz: kind.schedule.tz ?? 'UTC',
        missed: 'once',
      });
    }
  }

  #kind(kind: AnyJobKind): AnyJobKind {
    if (this.#kinds.get(kind.name) !== kind)
      throw new Error(`job kind ${kind.name} is not registered in job-kinds.ts`);
    return kind;
  }

  /**
   * Enqueues a job in `tx`: it exists once `tx` commits and never if it rolls back. Resolves
   * to the job id, or null when a job with the same dedupe key is already there.
   */
  async enqueue<Data extends object>(tx: Executor, job: EnqueueRequest<Data>): Promise<string | null> {
    const kind = this.#kind(job.kind as unknown as AnyJobKind);
    const data = kind.data.parse(job.data);
    const boss = await this.start();
    return boss.send(kind.name, data, {
      db: executorFor(tx),
      ...(job.dedupeKey !== undefined && { id: dedupeJobId(kind.name, job.dedupeKey) }),
      ...(job.startAfter && { startAfter: job.startAfter }),
    });
  }

  /**
   * Many jobs of one kind in `tx`, in one statement (a billing run's thousands of invoices, a
   * push's receipts). Same guarantees as `enqueue`; resolves to the number of jobs added. `tx`
   * may also be pg-boss's `Db` on a connection whose transaction the caller runs (the inbox).
   */
  async enqueueMany<Data extends object>(
    tx: Executor | Db,
    kindIn: JobKind<Data>,
    jobs: readonly Omit<EnqueueRequest<Data>, 'kind'>[],
  ): Promise<number> {
    const kind = this.#kind(kindIn as unknown as AnyJobKind);
    const rows = new Map<string | symbol, JobInsert>();
    for (const job of jobs) {
      const id = job.dedupeKey === undefined ? undefined : dedupeJobId(kind.name, job.dedupeKey);
      // pg-boss refuses one id twice in a batch; the first of a key wins, as it would in the table.
      if (id && rows.has(id)) continue;
      rows.set(id ?? Symbol(), {
        data: kind.data.parse(job.data),
        ...(id && { id }),
        ...(job.startAfter && { startAfter: job.startAfter }),
      });
    }
    if (rows.size === 0) return 0;
    const boss = await this.start();
    const db = 'executeSql' in tx ? tx : executorFor(tx);
    const ids = await boss.insert(kind.name, [...rows.values()], { db, returnId: true });
    return ids?.length ?? 0;
  }

  /** Creates or replaces a recurring job (per tenant: key = tenant id) in `tx`. */
  async schedule<Data extends object>(tx: Executor, s: ScheduleRequest<Data>): Promise<void> {
    const kind = this.#kind(s.kind as unknown as AnyJobKind);
    const data = kind.data.parse(s.data);
    const boss = await this.start();
    await boss.schedule(kind.name, s.cron, data, { tz: s.tz, key: s.key, db: executorFor(tx) });
  }

  async unschedule(tx: Executor, kind: AnyJobKind, key: string): Promise<void> {
    const boss = await this.start();
    await boss.unschedule(this.#kind(kind).name, key, { db: executorFor(tx) });
  }

  readonly #wakes = new Map<string, ReturnType<typeof setTimeout>>();

  /**
   * After the commit of a transaction that enqueued jobs of `kind`, wakes the listening workers
   * (any process) with one NOTIFY outside that transaction; calls within `coalesceMs` share it.
   * For hot paths where a NOTIFY inside every transaction would cost throughput: PostgreSQL
   * commits notifying transactions one at a time, under a database-wide lock (the webhook
   * inbox at thousands of deliveries a second). Best effort: the poll stays the fallback.
   */
  wake(kind: AnyJobKind, coalesceMs = 20): void {
    const name = this.#kind(kind).name;
    if (this.#wakes.has(name)) return;
    this.#wakes.set(
      name,
      setTimeout(() => {
        this.#wakes.delete(name);
        void this.start()
          .then((boss) =>
            boss
              .getDb()
              .executeSql(
                `SELECT pg_notify('pgboss_' || left(encode(sha224('${PGBOSS_SCHEMA}'::bytea), 'hex'), 24), $1)`,
                [name],
              ),
          )
          .catch((err: unknown) =>
            this.#o.log.warn({ err, kind: name }, 'job wake-up not sent; the poll will find the jobs'),
          );
      }, coalesceMs),
    );
  }

  /** Stops workers (letting running jobs finish, up to `timeoutMs`) and closes pg-boss's pool. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const started = this.#started;
    this.#started = null;
    for (const t of this.#wakes.values()) clearTimeout(t);
    this.#wakes.clear();
    if (!started) return;
    const boss = await started.catch(() => null);
    await boss?.stop({ graceful: true, close: true, timeout: timeoutMs });
  }
}
