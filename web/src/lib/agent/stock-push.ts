// Stock pushed to an online phone (ADR 0033): while the app is open, on line and approved, it
// holds a Server-Sent Events stream (/events/agent) on which Kasi says "stock changed" when
// the operator issues or revokes stock; the app then syncs as for any other trigger. The
// stream carries no stock itself: the signed sync stays the one way data moves. Offline, the
// stream is closed and nothing else changes: the app works from IndexedDB as before, the
// service worker never sees the stream (not a navigation, not precached).
import { agentDb, THIS_DEVICE } from './agent-db.ts';

export const AGENT_EVENTS_URL = '/events/agent';

export interface StockPush {
  /** Opens the stream if the phone is approved and none is open; safe to call often. */
  connect(): Promise<void>;
  /** Closes the stream (offline, or the app is closing). */
  close(): void;
  readonly connected: boolean;
}

export function stockPush(onChange: () => void): StockPush {
  let source: EventSource | null = null;
  let connecting = false;

  async function connect() {
    if (source || connecting || typeof EventSource === 'undefined' || !navigator.onLine) return;
    connecting = true;
    try {
      const device = await agentDb().device.get(THIS_DEVICE);
      if (source || !device?.serverId || device.status !== 'approved') return;
      const s = new EventSource(`${AGENT_EVENTS_URL}?device=${encodeURIComponent(device.serverId)}`);
      s.addEventListener('stock', () => onChange());
      // Each time the stream opens (first, or again after the server ended it or the network
      // dropped), a change may have committed while it was not listening: sync once.
      s.addEventListener('open', () => onChange());
      s.addEventListener('error', () => {
        // Refused (signed out, phone revoked): EventSource gives up; the next sync or
        // reconnect tries again. A dropped network: EventSource retries by itself.
        if (s.readyState === EventSource.CLOSED && source === s) source = null;
      });
      source = s;
    } finally {
      connecting = false;
    }
  }

  return {
    connect,
    close() {
      source?.close();
      source = null;
    },
    get connected() {
      return source?.readyState === EventSource.OPEN;
    },
  };
}
