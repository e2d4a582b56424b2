// Lets billing's hooks (`onBalanceCleared`, `onPaymentRecorded`), which run deep inside money
// transactions that only carry `tx`, enqueue their jobs in that same transaction: every
// transaction on a bound handle runs in a scope that knows the app's job queue (the same
// pattern as the audit chain's `withAuditChain`). On an unbound handle the hooks still write
// their event rows, and the daily run restores what a missing job would have.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from '@kasi/db';
import type { JobQueue } from '../jobs/job-queue.ts';

const scopes = new AsyncLocalStorage<JobQueue>();
const BOUND = Symbol('kasi.billingJobs');

export function currentBillingJobs(): JobQueue | undefined {
  return scopes.getStore();
}

/** Makes every `db.transaction` on the handle carry `jobs`. Mutates `db` in place, like the audit chain. */
export function bindBillingJobs(db: Database, jobs: JobQueue): void {
  const target = db as Database & { [BOUND]?: { jobs: JobQueue } };
  const bound = target[BOUND];
  if (bound) {
    bound.jobs = jobs;
    return;
  }
  const state = { jobs };
  target[BOUND] = state;
  const begin = db.transaction.bind(db);
  db.transaction = ((...args: Parameters<Database['transaction']>) =>
    scopes.run(state.jobs, () => begin(...args))) as Database['transaction'];
}
