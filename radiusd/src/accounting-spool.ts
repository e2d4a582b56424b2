// While PostgreSQL is unreachable, accounting is appended (and fsynced) to a local file
// before the Accounting-Response goes out, then replayed in order when the database is
// back. Replay is safe to repeat: accounting upserts are idempotent.
import { appendFile, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountingRecord } from './accounting.ts';

type Wire = Omit<AccountingRecord, 'inputOctets' | 'outputOctets' | 'at'> & {
  inputOctets: string;
  outputOctets: string;
  at: string;
};

const toWire = (r: AccountingRecord): Wire => ({
  ...r,
  inputOctets: String(r.inputOctets),
  outputOctets: String(r.outputOctets),
  at: r.at.toISOString(),
});
const fromWire = (w: Wire): AccountingRecord => ({
  ...w,
  inputOctets: BigInt(w.inputOctets),
  outputOctets: BigInt(w.outputOctets),
  at: new Date(w.at),
});

export class AccountingSpool {
  readonly #active: string;
  readonly #replaying: string;
  #depth = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(dir: string) {
    this.#active = join(dir, 'accounting.spool.jsonl');
    this.#replaying = join(dir, 'accounting.replay.jsonl');
  }

  /** Records waiting to reach the database. */
  get depth(): number {
    return this.#depth;
  }

  async init(): Promise<void> {
    await mkdir(join(this.#active, '..'), { recursive: true });
    this.#depth = (await countLines(this.#replaying)) + (await countLines(this.#active));
  }

  /** Appends durably. Appends are serialised so the file order is the arrival order. */
  append(record: AccountingRecord): Promise<void> {
    const line = JSON.stringify(toWire(record)) + '\n';
    const next = this.#chain.then(async () => {
      await appendFile(this.#active, line);
      const fh = await open(this.#active, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      this.#depth++;
    });
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Writes spooled records to the database in order. Stops at the first failure and keeps
   * the rest (the already-written prefix is written again next time, harmlessly).
   */
  async replay(write: (r: AccountingRecord) => Promise<void>): Promise<number> {
    await this.#chain;
    if (!(await exists(this.#replaying))) {
      if (!(await exists(this.#active))) return 0;
      await rename(this.#active, this.#replaying);
    }
    const lines = (await readFile(this.#replaying, 'utf8')).split('\n').filter(Boolean);
    let done = 0;
    try {
      for (const line of lines) {
        await write(fromWire(JSON.parse(line) as Wire));
        done++;
        this.#depth--;
      }
    } catch (e) {
      // The whole file stays for next time: count it all as waiting again.
      this.#depth += done;
      throw e;
    }
    await rm(this.#replaying);
    return done + (await this.replay(write));
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function countLines(path: string): Promise<number> {
  if (!(await exists(path))) return 0;
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean).length;
}
