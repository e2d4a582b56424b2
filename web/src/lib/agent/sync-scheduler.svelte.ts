// When the app syncs: at start, when the connection comes back, when the app is shown
// again, after a sale is handed over, when Kasi says the phone's stock changed (stock-push.ts),
// on a timer with backoff after failures, and when the agent taps "Sync now". One run at a
// time per tab; the outbox lock covers other tabs.
import { agentDb, readSyncState, THIS_DEVICE } from './agent-db.ts';
import { askPersistentStorage } from './persistent-storage.ts';
import { outboxLock } from './web-lock.ts';
import { asSyncError } from './sync-error.ts';
import { stockPush, type StockPush } from './stock-push.ts';
import { syncOnce } from './sync-run.ts';
import type { SyncTransport } from './sync-types.ts';

export type SyncTrigger = 'start' | 'online' | 'visible' | 'timer' | 'manual' | 'sale' | 'login' | 'push';

/** Triggers that wait for the backoff delay; the others try at once (the network may be back). */
const PATIENT: ReadonlySet<SyncTrigger> = new Set(['visible', 'timer']);
/** Triggers that may retry after a person had to act (logged in again, tapped Sync now). */
const PERSONAL: ReadonlySet<SyncTrigger> = new Set(['manual', 'login']);
const POLL_MS = 5 * 60_000;
/** The first sync waits until the first screen is up: it loads the tRPC client (~11 KB gzip). */
const START_DELAY_MS = 1_500;

export const syncActivity = $state({ running: false, online: true });

let transport: Promise<SyncTransport> | null = null;
let queued: SyncTrigger | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
/** The "stock changed" stream while the app runs (startSync), opened once the phone is approved. */
let push: StockPush | null = null;

/** Loaded once; a failed load (say, a chunk gone after an update) is tried again next time. */
function loadTransport(): Promise<SyncTransport> {
  transport ??= import('./sync-transport.ts').then(
    (m) => m.trpcTransport,
    (e: unknown) => {
      transport = null;
      throw e;
    },
  );
  return transport;
}

function schedule(at: number) {
  clearTimeout(timer);
  timer = setTimeout(() => void requestSync('timer'), Math.max(0, at - Date.now()));
}

export async function requestSync(trigger: SyncTrigger): Promise<void> {
  syncActivity.online = navigator.onLine;
  if (!navigator.onLine) return; // the 'online' event brings us back
  if (syncActivity.running) {
    if (queued === null || PATIENT.has(queued)) queued = trigger;
    return;
  }
  syncActivity.running = true;
  const db = agentDb();
  try {
    const [state, device] = await Promise.all([readSyncState(db), db.device.get(THIS_DEVICE)]);
    if (!device?.serverId) return; // not enrolled yet: the setup screens talk to Kasi themselves
    if (PATIENT.has(trigger) && state.retryAt > Date.now()) return schedule(state.retryAt);
    if (state.blocked && !PERSONAL.has(trigger)) return;
    void askPersistentStorage(); // asked at enrolment; again on the first sync of each start
    await syncOnce({ db, transport: await loadTransport(), lock: outboxLock() });
    // Kasi answered; but the phone may have lost its signal while the answer was being stored
    // (the 'offline' event already said so): the browser's word is the latest.
    syncActivity.online = navigator.onLine;
  } catch (e) {
    // Recorded in the sync state (last error, next attempt) and shown on the Sync screen.
    // A phone on Wi-Fi with no way out still reports navigator.onLine; this does not.
    if (asSyncError(e).kind === 'network') syncActivity.online = false;
  } finally {
    syncActivity.running = false;
    // Approved since the last run, or the stream was refused and the session is back: open it.
    void push?.connect();
    await scheduleRetry();
    const next = queued;
    queued = null;
    if (next) void requestSync(next);
  }
}

async function scheduleRetry() {
  const state = await readSyncState(agentDb()).catch(() => null);
  if (state && state.retryAt > Date.now() && !state.blocked) schedule(state.retryAt);
}

/** Wires the triggers; returns the function that unwires them. */
export function startSync(): () => void {
  syncActivity.online = navigator.onLine;
  const stream = stockPush(() => void requestSync('push'));
  push = stream;
  const onOnline = () => void requestSync('online');
  const onOffline = () => {
    syncActivity.online = false;
    stream.close();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void requestSync('visible');
  };
  addEventListener('online', onOnline);
  addEventListener('offline', onOffline);
  document.addEventListener('visibilitychange', onVisibility);
  const poll = setInterval(() => void requestSync('timer'), POLL_MS);
  const start = setTimeout(() => void requestSync('start'), START_DELAY_MS);
  return () => {
    clearTimeout(start);
    removeEventListener('online', onOnline);
    removeEventListener('offline', onOffline);
    document.removeEventListener('visibilitychange', onVisibility);
    clearInterval(poll);
    clearTimeout(timer);
    stream.close();
    if (push === stream) push = null;
  };
}
