// Cross-tab mutual exclusion with Web Locks: "one tab drains the outbox at a time", and
// one sale is prepared at a time so two tabs never sign the same seq. Where the API is
// missing (old WebViews) a lock within this tab is the best available; the sale
// transaction's own re-check and the server's idempotent apply cover the rest.

export interface WebLock {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export const OUTBOX_LOCK_NAME = 'kasi-outbox';
export const SALE_LOCK_NAME = 'kasi-sale';

export function namedLock(
  name: string,
  locks: LockManager | undefined = globalThis.navigator?.locks,
): WebLock {
  if (locks) return { run: (task) => locks.request(name, { mode: 'exclusive' }, task) };
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const next = tail.then(task, task);
      tail = next.catch(() => undefined);
      return next;
    },
  };
}

export const outboxLock = (locks?: LockManager) => namedLock(OUTBOX_LOCK_NAME, locks);
