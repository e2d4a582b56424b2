// The records the agent app keeps on the phone. Amounts are decimal strings of minor
// units (bigint-safe, never floats); times are ISO strings as Date.toISOString() writes them.
import type { PinHash } from './pin.ts';
import type { StoredOp } from './sale-op.ts';

export const THIS_DEVICE = 'this';

/** 'new': a key exists but the server has not confirmed the enrolment yet. */
export type DeviceStatus = 'new' | 'pending' | 'approved' | 'revoked' | 'lost';

export interface AgentProfile {
  userId: string;
  email: string;
  name: string;
  tenantName: string;
  /** The tenant's BCP 47 locale and time zone (absent on phones enrolled before they were kept). */
  tenantLocale?: string;
  tenantTimeZone?: string;
  currency: string;
  commissionBps: number;
}

export interface DeviceRecord {
  id: typeof THIS_DEVICE;
  /** The private half was made with extractable: false; IndexedDB keeps the CryptoKey itself. */
  keyPair: CryptoKeyPair;
  publicJwk: JsonWebKey;
  label: string;
  serverId: string | null;
  status: DeviceStatus;
  /** The seq of the next op; advanced in the same transaction as the sale that uses it. */
  nextSeq: number;
  agent: AgentProfile;
  pin: PinHash;
  pinFailures: number;
  pinLockedUntil: number;
}

export interface StockItem {
  code: string;
  /** Groups codes into one sell button: same plan name, price and currency. */
  product: string;
  leaseId: string;
  planName: string;
  validityText: string;
  priceMinor: string;
  currency: string;
  status: 'available' | 'sold';
}

export type SaleStatus = 'pending' | 'synced' | 'rejected';

export interface SaleRecord {
  saleId: string;
  seq: number;
  code: string;
  planName: string;
  validityText: string;
  amountMinor: string;
  currency: string;
  buyerPhone: string | null;
  soldAt: string;
  signature: string;
  status: SaleStatus;
  syncedAt: string | null;
  reason: string | null;
}

export interface OutboxItem {
  seq: number;
  saleId: string;
  op: StoredOp;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

/** A sale the server refused: the agent took cash for it, so it stays on screen. */
export interface Rejection {
  saleId: string;
  seq: number;
  code: string;
  amountMinor: string;
  currency: string;
  reason: string;
  at: string;
}

/** Kasi's own figures for today, as of the last successful sync. */
export interface ServerToday {
  fetchedAt: string;
  salesCount: number;
  salesMinor: string;
  owedMinor: string;
  currency: string;
}

export interface SyncState {
  id: 'sync';
  cursor: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  /** Consecutive failed attempts and when the next one is due (epoch ms); 0 = now. */
  failures: number;
  retryAt: number;
  /** Why syncing stopped when retrying cannot help: the session ended or the phone was refused. */
  blocked: 'signed-out' | 'refused' | null;
  serverToday: ServerToday | null;
}
