// Last known credentials, for logins while PostgreSQL is unreachable.
//
// The cache holds every user seen within the outage window — 100,000 vouchers on a busy
// site — for as long as radiusd runs, so it lives in the old generation of the heap and
// every major GC has to mark it. Stored as objects (credential, voucher, two Dates, a
// bigint, id and key strings) an entry was about ten heap objects, and marking a million of
// them set radiusd's worst pauses. Vouchers are therefore stored column-wise in typed
// arrays (off the JS heap, never traced), leaving one key string per entry. Anything that
// does not fit that shape (subscriber accounts, whose password must be kept; ids that are
// not UUIDs) is kept as the object it is. See ADR 0010.
import { normalizeVoucherCode, type CredentialStatus, type PlanLimits } from '@kasi/domain';
import type { Credential } from './credential-lookup.ts';

const STATUSES: readonly CredentialStatus[] = [
  'generated',
  'leased',
  'sold',
  'active',
  'exhausted',
  'expired',
  'void',
  'disabled',
  'suspended',
];
const STATUS_INDEX = new Map(STATUSES.map((s, i) => [s, i]));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Where the 32 hex digits of a canonical UUID sit in its 36 characters. */
const UUID_HEX_AT = [...'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'].flatMap((c, i) => (c === 'x' ? [i] : []));

/** Slot kinds; 0 is a slot never filled. */
const VOUCHER = 1;
const OBJECT = 2;

/** Columns, one element per slot. Grown by doubling up to the entry limit. */
class Columns {
  kind: Uint8Array;
  seenAt: Float64Array;
  status: Uint8Array;
  locked: Uint8Array;
  open: Uint32Array;
  /** Milliseconds since the epoch; NaN for null. */
  firstUsedAt: Float64Array;
  expiresAt: Float64Array;
  usedSeconds: Float64Array;
  usedOctets: BigInt64Array;
  id: Uint8Array;
  /** Plans are shared objects (PlanCache), so this holds a few distinct references. */
  plan: (PlanLimits | undefined)[];

  constructor(n: number) {
    this.kind = new Uint8Array(n);
    this.seenAt = new Float64Array(n);
    this.status = new Uint8Array(n);
    this.locked = new Uint8Array(n);
    this.open = new Uint32Array(n);
    this.firstUsedAt = new Float64Array(n);
    this.expiresAt = new Float64Array(n);
    this.usedSeconds = new Float64Array(n);
    this.usedOctets = new BigInt64Array(n);
    this.id = new Uint8Array(n * 16);
    this.plan = new Array<PlanLimits | undefined>(n).fill(undefined);
  }

  grownTo(n: number): Columns {
    const c = new Columns(n);
    c.kind.set(this.kind);
    c.seenAt.set(this.seenAt);
    c.status.set(this.status);
    c.locked.set(this.locked);
    c.open.set(this.open);
    c.firstUsedAt.set(this.firstUsedAt);
    c.expiresAt.set(this.expiresAt);
    c.usedSeconds.set(this.usedSeconds);
    c.usedOctets.set(this.usedOctets);
    c.id.set(this.id);
    this.plan.forEach((p, i) => (c.plan[i] = p));
    return c;
  }
}

const MAX_INT64 = 2n ** 63n - 1n;
const timeOf = (d: Date | null) => (d === null ? NaN : d.getTime());
const dateOf = (ms: number) => (Number.isNaN(ms) ? null : new Date(ms));

function hexValue(code: number): number {
  return code <= 57 ? code - 48 : code - 87; // '0'-'9', 'a'-'f'
}

export class OutageCache {
  /** tenant → lower-cased user name → slot. */
  readonly #tenants = new Map<string, Map<string, number>>();
  /** slot → where its key lives, so eviction can delete it. */
  #owner: (Map<string, number> | undefined)[] = [];
  #keyOf: (string | undefined)[] = [];
  readonly #objects = new Map<number, Credential>();
  #columns = new Columns(1024);
  /** Slots handed out so far; once at the limit, the ring pointer picks the oldest to reuse. */
  #used = 0;
  #ring = 0;
  #size = 0;
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;

  constructor(maxAgeMs: number, maxEntries = 200_000) {
    this.#maxAgeMs = maxAgeMs;
    this.#maxEntries = Math.max(1, maxEntries);
  }

  get size(): number {
    return this.#size;
  }

  /** Logins during an outage that were (and were not) answered from memory. */
  readonly stats = { hits: 0, misses: 0 };

  remember(tenantId: string, userName: string, credential: Credential, now: number): void {
    let users = this.#tenants.get(tenantId);
    if (!users) this.#tenants.set(tenantId, (users = new Map()));
    const key = userName.toLowerCase();
    let slot = users.get(key);
    if (slot === undefined) {
      slot = this.#allocate();
      users.set(key, slot);
      this.#owner[slot] = users;
      this.#keyOf[slot] = key;
      this.#size++;
    }
    const c = this.#columns;
    c.seenAt[slot] = now;
    if (this.#storeVoucher(slot, key, credential)) {
      c.kind[slot] = VOUCHER;
      this.#objects.delete(slot);
    } else {
      c.kind[slot] = OBJECT;
      c.plan[slot] = undefined;
      this.#objects.set(slot, credential);
    }
  }

  recall(tenantId: string, userName: string, now: number): Credential | undefined {
    const key = userName.toLowerCase();
    const slot = this.#tenants.get(tenantId)?.get(key);
    const c = this.#columns;
    const fresh = slot !== undefined && now - (c.seenAt[slot] ?? -Infinity) <= this.#maxAgeMs;
    const credential = fresh ? this.#load(slot, key) : undefined;
    if (credential) this.stats.hits++;
    else this.stats.misses++;
    return credential;
  }

  #allocate(): number {
    if (this.#used < this.#maxEntries) {
      const slot = this.#used++;
      if (slot >= this.#columns.kind.length)
        this.#columns = this.#columns.grownTo(Math.min(this.#maxEntries, this.#columns.kind.length * 2));
      return slot;
    }
    // Full: the slot filled longest ago is reused (oldest-first eviction).
    const slot = this.#ring;
    this.#ring = (this.#ring + 1) % this.#maxEntries;
    const key = this.#keyOf[slot];
    if (key !== undefined) this.#owner[slot]?.delete(key);
    this.#objects.delete(slot);
    this.#size--;
    return slot;
  }

  #storeVoucher(slot: number, key: string, credential: Credential): boolean {
    if (credential.kind !== 'voucher') return false;
    const v = credential.voucher;
    const status = STATUS_INDEX.get(v.status);
    if (
      status === undefined ||
      !UUID.test(v.id) ||
      credential.password !== normalizeVoucherCode(key) ||
      v.usedOctets < 0n ||
      v.usedOctets > MAX_INT64
    )
      return false;
    const c = this.#columns;
    c.status[slot] = status;
    c.locked[slot] = v.locked ? 1 : 0;
    c.open[slot] = credential.open;
    c.firstUsedAt[slot] = timeOf(v.firstUsedAt);
    c.expiresAt[slot] = timeOf(v.expiresAt);
    c.usedSeconds[slot] = v.usedSeconds;
    c.usedOctets[slot] = v.usedOctets;
    c.plan[slot] = credential.plan;
    const base = slot * 16;
    for (let i = 0; i < 16; i++) {
      const at = UUID_HEX_AT[i * 2] ?? 0;
      c.id[base + i] = (hexValue(v.id.charCodeAt(at)) << 4) | hexValue(v.id.charCodeAt(at + 1));
    }
    return true;
  }

  #load(slot: number, key: string): Credential | undefined {
    const c = this.#columns;
    if (c.kind[slot] === OBJECT) return this.#objects.get(slot);
    const plan = c.plan[slot];
    if (c.kind[slot] !== VOUCHER || !plan) return undefined;
    const hex = Buffer.from(c.id.subarray(slot * 16, slot * 16 + 16)).toString('hex');
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return {
      kind: 'voucher',
      voucher: {
        id,
        status: STATUSES[c.status[slot] ?? 0] ?? 'void',
        locked: c.locked[slot] === 1,
        firstUsedAt: dateOf(c.firstUsedAt[slot] ?? NaN),
        expiresAt: dateOf(c.expiresAt[slot] ?? NaN),
        usedSeconds: c.usedSeconds[slot] ?? 0,
        usedOctets: c.usedOctets[slot] ?? 0n,
      },
      plan,
      open: c.open[slot] ?? 0,
      password: normalizeVoucherCode(key),
    };
  }
}
