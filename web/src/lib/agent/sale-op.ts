// The signed sale op as this phone stores and signs it. The text that is signed must match
// @kasi/domain's canonicalSaleOp byte for byte (sale-op.spec.ts compares them); it is
// mirrored here rather than imported because @kasi/domain's entry point pulls in zod
// (~28 KB gzip), which the agent app's first load cannot afford.
import type { SignedSaleOp } from '@kasi/domain';

const SALE_OP_VERSION = 1;

/** A signed op at rest: the amount as a decimal string, so IndexedDB never sees a float. */
export type StoredOp = Omit<SignedSaleOp, 'amountMinor'> & { amountMinor: string };
export type UnsignedOp = Omit<StoredOp, 'signature'>;

export function canonicalSaleText(deviceId: string, op: UnsignedOp): string {
  return JSON.stringify({
    amountMinor: op.amountMinor,
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

/** The shape sync.push takes: superjson carries the bigint exactly. */
export function toWireOp(op: StoredOp): SignedSaleOp {
  return { ...op, amountMinor: BigInt(op.amountMinor) };
}

/** UUIDv7 (RFC 9562): time-ordered, so sale ids sort by when this phone made them. */
export function uuidv7(nowMs: number = Date.now()): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let ts = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = ts % 256;
    ts = Math.floor(ts / 256);
  }
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Buyer phone as the server accepts it: digits with an optional leading +, 6–15 digits. */
export function normalizePhone(input: string): string | null {
  const phone = input.replace(/[\s().-]/g, '');
  return /^\+?[0-9]{6,15}$/.test(phone) ? phone : null;
}
