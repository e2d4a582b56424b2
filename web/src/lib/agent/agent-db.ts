// The agent app's local database: everything a phone needs to sell with no signal. One
// record describes this phone (its key, sequence and PIN); stock, sales and the outbox
// change together in one transaction per sale (see sale.ts).
import { Dexie, type EntityTable } from 'dexie';
import type {
  DeviceRecord,
  OutboxItem,
  Rejection,
  SaleRecord,
  StockItem,
  SyncState,
} from './agent-records.ts';

export * from './agent-records.ts';

export class AgentDb extends Dexie {
  device!: EntityTable<DeviceRecord, 'id'>;
  stock!: EntityTable<StockItem, 'code'>;
  sales!: EntityTable<SaleRecord, 'saleId'>;
  outbox!: EntityTable<OutboxItem, 'seq'>;
  rejections!: EntityTable<Rejection, 'saleId'>;
  syncState!: EntityTable<SyncState, 'id'>;

  constructor(name = 'kasi-agent') {
    super(name);
    this.version(1).stores({
      device: 'id',
      stock: 'code, [product+status], status',
      sales: 'saleId, seq, soldAt, status',
      outbox: 'seq',
      rejections: 'saleId, at',
      syncState: 'id',
    });
  }
}

export const EMPTY_SYNC_STATE: SyncState = {
  id: 'sync',
  cursor: null,
  lastSyncAt: null,
  lastError: null,
  failures: 0,
  retryAt: 0,
  blocked: null,
  serverToday: null,
};

export async function readSyncState(db: AgentDb): Promise<SyncState> {
  return (await db.syncState.get('sync')) ?? EMPTY_SYNC_STATE;
}

/** Read-merge-write of the sync state; inside a caller's transaction when one is open. */
export async function patchSyncState(db: AgentDb, patch: Partial<Omit<SyncState, 'id'>>): Promise<void> {
  await db.transaction('rw', db.syncState, async () => {
    await db.syncState.put({ ...(await readSyncState(db)), ...patch });
  });
}

let shared: AgentDb | null = null;

/** The app's one connection (tests make their own AgentDb with a fresh name). */
export function agentDb(): AgentDb {
  shared ??= new AgentDb();
  return shared;
}
