// The sync engine's link to Kasi over tRPC. Loaded on demand (sync-scheduler.svelte.ts),
// so the tRPC client is not part of the agent app's first load.
import { isApiError } from '#lib/rpc/client.ts';
import { api } from '#lib/api.ts';
import { SyncError } from './sync-error.ts';
import type { SyncTransport } from './sync-types.ts';

export const trpcTransport: SyncTransport = {
  push: (deviceId, ops) => call(async () => (await api.sync.push.mutate({ deviceId, ops })).results),
  pull: (deviceId, cursor) => call(() => api.sync.pull.query({ deviceId, cursor })),
  today: () => call(() => api.cash.today.query()),
};

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    throw toSyncError(e);
  }
}

export function toSyncError(e: unknown): SyncError {
  // No error shape: the request never reached Kasi (no signal, airplane mode, server down).
  if (!isApiError(e) || !e.data) return new SyncError('network', 'No connection to Kasi');
  switch (e.data.code) {
    case 'UNAUTHORIZED':
      return new SyncError('signed-out', 'Log in again to send your sales to Kasi');
    case 'FORBIDDEN':
    case 'NOT_FOUND':
      return new SyncError('refused', e.message);
    case 'BAD_REQUEST':
      return new SyncError('invalid', e.message);
    default:
      return new SyncError('server', e.message);
  }
}
