// What the sync engine needs from the network, as an interface: the app passes the tRPC
// transport (sync-transport.ts, loaded on demand), tests pass a fake server.
import type { OpAnswer, SignedSaleOp } from '@kasi/domain';
import type { api } from '#lib/api.ts';

type Api = typeof api;
export type PullFeed = Awaited<ReturnType<Api['sync']['pull']['query']>>;
export type TodayFeed = Awaited<ReturnType<Api['cash']['today']['query']>>;

export interface SyncTransport {
  /** Answers one entry per op it processed, in seq order; throws SyncError when it cannot. */
  push(deviceId: string, ops: SignedSaleOp[]): Promise<OpAnswer[]>;
  pull(deviceId: string, cursor: string | null): Promise<PullFeed>;
  today(): Promise<TodayFeed>;
}
