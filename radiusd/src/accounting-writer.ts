// Accounting's path to storage: straight to PostgreSQL when it is up; to the local spool
// when it is not, or while earlier records still wait there (so order is kept).
import type { Database } from '@kasi/db';
import type { Logger } from 'pino';
import { recordAccounting, type AccountingOutcome, type AccountingRecord } from './accounting.ts';
import type { AccountingSpool } from './accounting-spool.ts';
import { isDatabaseUnavailable } from './db-errors.ts';

export class AccountingWriter {
  readonly #db: Database;
  readonly #spool: AccountingSpool;
  readonly #log: Logger;
  #draining: Promise<void> | null = null;

  constructor(db: Database, spool: AccountingSpool, log: Logger) {
    this.#db = db;
    this.#spool = spool;
    this.#log = log;
  }

  get spoolDepth(): number {
    return this.#spool.depth;
  }

  /** Stored or durably spooled when it resolves; only a stored record can report exhaustion. */
  async write(record: AccountingRecord): Promise<AccountingOutcome & { spooled: boolean }> {
    if (this.#spool.depth > 0) {
      await this.#spool.append(record);
      return { exhausted: false, spooled: true };
    }
    try {
      return { ...(await recordAccounting(this.#db, record)), spooled: false };
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      this.#log.warn('database unreachable: spooling accounting');
      await this.#spool.append(record);
      return { exhausted: false, spooled: true };
    }
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
