// Accounting's path to storage. Straight to PostgreSQL when it is up, with group commit:
// records that arrive while a batch is being committed wait and go together in the next
// one, so there is no timer and no added latency when traffic is light. To the local
// spool when the database is unreachable, or while earlier records still wait there
// (so arrival order is kept).
import type { Database } from '@kasi/db';
import type { Logger } from 'pino';
import {
  isBarrier,
  recordAccounting,
  recordAccountingBatch,
  type AccountingOutcome,
  type AccountingRecord,
} from './accounting.ts';
import type { AccountingSpool } from './accounting-spool.ts';
import { isDatabaseUnavailable } from './db-errors.ts';

export type WriteResult = AccountingOutcome & { spooled: boolean };

interface Pending {
  record: AccountingRecord;
  resolve: (r: WriteResult) => void;
  reject: (e: unknown) => void;
}

export const MAX_BATCH = 500;
/**
 * Batches committed at once. Two let one batch's commit (its WAL flush) overlap the next
 * batch's work; order between them does not matter, since counters only grow and a session
 * closes once. Accounting-On/Off are barriers: they run alone, after everything before them.
 */
export const PARALLEL_BATCHES = 2;

export class AccountingWriter {
  readonly #db: Database;
  readonly #spool: AccountingSpool;
  readonly #log: Logger;
  readonly #parallel: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #barrierRunning = false;
  #draining: Promise<void> | null = null;

  constructor(db: Database, spool: AccountingSpool, log: Logger, parallel = PARALLEL_BATCHES) {
    this.#db = db;
    this.#spool = spool;
    this.#log = log;
    this.#parallel = Math.max(1, parallel);
  }

  get spoolDepth(): number {
    return this.#spool.depth;
  }

  /** Resolves once the record is committed, or durably spooled; only a commit can report exhaustion. */
  write(record: AccountingRecord): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ record, resolve, reject });
      this.#pump();
    });
  }

  /** Starts batches while there is room: records that arrive meanwhile wait and go together. */
  #pump(): void {
    while (this.#queue.length && !this.#barrierRunning && this.#inFlight < this.#parallel) {
      const head = this.#queue[0];
      if (head && isBarrier(head.record)) {
        if (this.#inFlight > 0) return; // it waits for the batches started before it
        this.#barrierRunning = true;
        this.#run(this.#queue.splice(0, 1));
        return;
      }
      let n = 1;
      while (n < this.#queue.length && n < MAX_BATCH && !isBarrier(this.#queue[n]!.record)) n++;
      this.#run(this.#queue.splice(0, n));
    }
  }

  #run(batch: Pending[]): void {
    this.#inFlight++;
    void this.#commit(batch)
      .catch((e: unknown) => batch.forEach((p) => p.reject(e)))
      .finally(() => {
        this.#inFlight--;
        this.#barrierRunning = false;
        this.#pump();
      });
  }

  async #commit(batch: Pending[]): Promise<void> {
    if (this.#spool.depth === 0) {
      try {
        const outcomes = await recordAccountingBatch(
          this.#db,
          batch.map((p) => p.record),
        );
        batch.forEach((p, i) => p.resolve({ ...(outcomes[i] ?? { exhausted: false }), spooled: false }));
        return;
      } catch (e) {
        if (!isDatabaseUnavailable(e)) {
          // One bad record must not fail its neighbours: retry them one by one.
          if (batch.length > 1) return this.#commitEach(batch);
          batch[0]?.reject(e);
          return;
        }
        this.#log.warn('database unreachable: spooling accounting');
      }
    }
    for (const p of batch) {
      await this.#spool.append(p.record).then(
        () => p.resolve({ exhausted: false, spooled: true }),
        (e: unknown) => p.reject(e),
      );
    }
  }

  async #commitEach(batch: Pending[]): Promise<void> {
    for (const p of batch) await this.#commit([p]);
  }

  /** Replays the spool if anything waits; concurrent calls share one replay. */
  drain(): Promise<void> {
    if (this.#spool.depth === 0) return Promise.resolve();
    this.#draining ??= this.#spool
      .replay((r) =>
        recordAccounting(this.#db, r).then(
          () => undefined,
          (err: unknown) => {
            if (isDatabaseUnavailable(err)) throw err;
            // A record the database refuses would block the spool for ever: log it and move on.
            this.#log.error({ err, session: r.acctSessionId }, 'spooled accounting record refused; skipped');
          },
        ),
      )
      .then(
        (n) => this.#log.info({ replayed: n }, 'accounting spool replayed'),
        (err: unknown) => {
          if (!isDatabaseUnavailable(err)) this.#log.error({ err }, 'accounting spool replay failed');
        },
      )
      .finally(() => {
        this.#draining = null;
      });
    return this.#draining;
  }
}
