// Offline sale ops as the agent PWA records, signs and pushes them, and the rules the
// server applies to them. Pure: the PWA and the server import the same definitions, so
// the bytes a device signs are exactly the bytes the server verifies.
import { z } from 'zod';
import { invalid } from './errors.ts';
import { VOUCHER_ALPHABET } from './voucher-code.ts';

export const SALE_OP_VERSION = 1;
export const MAX_PUSH_OPS = 100;
const MAX_SEQ = 2_147_483_647;

/** toISOString() output only: the signed text must not depend on how a date is written. */
const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'UTC instant as Date.toISOString() writes it')
  .refine((s) => {
    const d = new Date(s);
    return !Number.isNaN(d.getTime()) && d.toISOString() === s;
  }, 'Not a real date');

/** Canonical codes only (no dashes or lower case), because the code is part of the signed text. */
const canonicalCode = z.string().regex(new RegExp(`^[${VOUCHER_ALPHABET}]{7,33}$`), 'Canonical voucher code');

export const saleOp = z.object({
  /** Client-made UUID (v7 recommended): the idempotency key of the sale. */
  saleId: z.uuid(),
  /** Per-device sequence, 1, 2, 3… advanced by the device for every op it records. */
  seq: z.number().int().min(1).max(MAX_SEQ),
  kind: z.literal('sale'),
  code: canonicalCode,
  amountMinor: z
    .bigint()
    .nonnegative()
    .max(10n ** 15n),
  currency: z.string().regex(/^[A-Z]{3}$/),
  soldAt: isoInstant,
  buyerPhone: z
    .string()
    .regex(/^\+?[0-9]{6,15}$/, 'Phone number: digits with an optional leading +')
    .nullable()
    .default(null),
});
export type SaleOp = z.output<typeof saleOp>;

export const signedSaleOp = saleOp.extend({
  /** Base64 of the IEEE P1363 (r‖s) ECDSA P-256 / SHA-256 signature WebCrypto produces. */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'Base64 of a 64-byte P-256 signature'),
});
export type SignedSaleOp = z.output<typeof signedSaleOp>;

export const syncPushInput = z.object({
  deviceId: z.uuid(),
  ops: z.array(signedSaleOp).min(1).max(MAX_PUSH_OPS),
});
export type SyncPushInput = z.input<typeof syncPushInput>;

export const syncPullInput = z.object({
  deviceId: z.uuid(),
  /** The cursor of the previous pull; null on a new device (everything is sent). */
  cursor: z
    .string()
    .regex(/^\d{1,10}$/)
    .nullable()
    .default(null),
});
export type SyncPullInput = z.input<typeof syncPullInput>;

export type OpResult = 'applied' | 'duplicate' | 'rejected';

/** Why an op was refused or flagged; stable strings the PWA maps to messages. */
export type SyncReason =
  | 'bad_signature'
  | 'device_not_approved'
  | 'sale_id_reused'
  | 'seq_reused'
  | 'unknown_code'
  | 'void'
  | 'locked'
  | 'already_sold'
  | 'not_leased_to_device'
  | 'used_before_sale'
  // Flags on applied ops:
  | 'sequence_gap'
  | 'amount_mismatch';

export interface OpAnswer {
  saleId: string;
  seq: number;
  result: OpResult;
  reason?: SyncReason;
}

/**
 * The exact text a device signs (UTF-8): JSON with keys in this fixed (alphabetical) order,
 * the amount as a decimal string, absent phone as null. The device id binds the op to one key.
 */
export function canonicalSaleOp(deviceId: string, op: SaleOp): string {
  return JSON.stringify({
    amountMinor: op.amountMinor.toString(),
    buyerPhone: op.buyerPhone ?? null,
    code: op.code,
    currency: op.currency,
    deviceId,
    kind: op.kind,
    saleId: op.saleId,
    seq: op.seq,
    soldAt: op.soldAt,
    v: SALE_OP_VERSION,
  });
}

export type SequenceCheck =
  | { kind: 'next' }
  | { kind: 'gap'; missingFrom: number; missingTo: number }
  /** At or below the last seen seq: a late op filling an earlier gap (or a replay). */
  | { kind: 'late' };

export function checkSequence(lastSeq: number, seq: number): SequenceCheck {
  if (seq === lastSeq + 1) return { kind: 'next' };
  if (seq > lastSeq + 1) return { kind: 'gap', missingFrom: lastSeq + 1, missingTo: seq - 1 };
  return { kind: 'late' };
}

/** UUIDv7 (RFC 9562): time-ordered, so sale ids sort by when the device made them. */
export function uuidv7(nowMs: number = Date.now()): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let ts = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = ts % 256;
    ts = Math.floor(ts / 256);
  }
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UNITS: [number, string][] = [
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
];

/** "1 hour", "7 days", "90 minutes": what the agent reads out to a buyer. */
export function describeValidity(seconds: number | null): string {
  if (seconds === null) return 'No time limit';
  for (const [size, unit] of UNITS) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

// ── Agent cash ledger ───────────────────────────────────────────────────────────
// Amounts are signed so that a plain sum is what the agent owes the operator: a sale adds
// its face value (expected cash), commission and handovers subtract, adjustments go either way.

export type LedgerKind = 'sale' | 'commission' | 'handover' | 'adjustment';

export interface LedgerLine {
  kind: LedgerKind;
  amountMinor: bigint;
}

/** Commission on one sale: floor(face × bps / 10 000), in whole minor units. */
export function commissionFor(faceMinor: bigint, bps: number): bigint {
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) {
    throw invalid('AGENT.BAD_COMMISSION', 'Commission is 0–10 000 basis points');
  }
  if (faceMinor < 0n) throw invalid('MONEY.NEGATIVE', 'A sale amount cannot be negative');
  return (faceMinor * BigInt(bps)) / 10_000n;
}

export interface LedgerTotals {
  salesMinor: bigint;
  commissionMinor: bigint;
  handedOverMinor: bigint;
  adjustmentsMinor: bigint;
  /** Expected cash − commission − handed over + adjustments: what the agent still owes. */
  outstandingMinor: bigint;
}

export function summariseLedger(lines: Iterable<LedgerLine>): LedgerTotals {
  const t = { salesMinor: 0n, commissionMinor: 0n, handedOverMinor: 0n, adjustmentsMinor: 0n };
  let outstanding = 0n;
  for (const l of lines) {
    outstanding += l.amountMinor;
    if (l.kind === 'sale') t.salesMinor += l.amountMinor;
    else if (l.kind === 'commission') t.commissionMinor -= l.amountMinor;
    else if (l.kind === 'handover') t.handedOverMinor -= l.amountMinor;
    else t.adjustmentsMinor += l.amountMinor;
  }
  return { ...t, outstandingMinor: outstanding };
}

/** What more the agent may take as stock: the limit less unsold stock at face value and cash owed. */
export function leaseHeadroom(p: {
  creditLimitMinor: bigint;
  outstandingMinor: bigint;
  unsoldFaceMinor: bigint;
}) {
  return p.creditLimitMinor - p.outstandingMinor - p.unsoldFaceMinor;
}

export interface Shift {
  /** When the previous handover closed the last shift (null for the first). */
  openedAt: Date | null;
  /** The handover that closed this shift (null: the shift still running). */
  closedAt: Date | null;
  /** Owed when the shift opened (a shortfall carried over, or prepaid float if negative). */
  openingMinor: bigint;
  salesMinor: bigint;
  commissionMinor: bigint;
  adjustmentsMinor: bigint;
  /** opening + sales − commission + adjustments: what the agent should hand over. */
  expectedMinor: bigint;
  handedOverMinor: bigint;
  /** handed over − expected: negative means short. Null while the shift runs. */
  varianceMinor: bigint | null;
}

/** Splits an agent's ledger (in posting order) into shifts closed by handovers; the last one is still running. */
export function shiftsFromLedger(lines: Iterable<LedgerLine & { at: Date }>): Shift[] {
  const shifts: Shift[] = [];
  const open = (openedAt: Date | null, openingMinor: bigint): Shift => ({
    openedAt,
    closedAt: null,
    openingMinor,
    salesMinor: 0n,
    commissionMinor: 0n,
    adjustmentsMinor: 0n,
    expectedMinor: openingMinor,
    handedOverMinor: 0n,
    varianceMinor: null,
  });
  let cur = open(null, 0n);
  for (const l of lines) {
    if (l.kind === 'handover') {
      cur.handedOverMinor = -l.amountMinor;
      cur.closedAt = l.at;
      cur.varianceMinor = cur.handedOverMinor - cur.expectedMinor;
      shifts.push(cur);
      cur = open(l.at, -cur.varianceMinor);
      continue;
    }
    if (l.kind === 'sale') cur.salesMinor += l.amountMinor;
    else if (l.kind === 'commission') cur.commissionMinor -= l.amountMinor;
    else cur.adjustmentsMinor += l.amountMinor;
    cur.expectedMinor += l.amountMinor;
  }
  shifts.push(cur);
  return shifts;
}
