// A Dexie live query as a Svelte rune: the value follows the database, including writes
// from other tabs and from the sync engine. Call during component set-up.
import { liveQuery } from 'dexie';

export function live<T>(
  query: () => Promise<T>,
  initial: T,
): { readonly current: T; readonly ready: boolean } {
  let current = $state.raw(initial);
  let ready = $state(false);
  $effect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => {
        current = value;
        ready = true;
      },
      error: (e: unknown) => console.error('Local database query failed', e),
    });
    return () => subscription.unsubscribe();
  });
  return {
    get current() {
      return current;
    },
    get ready() {
      return ready;
    },
  };
}
