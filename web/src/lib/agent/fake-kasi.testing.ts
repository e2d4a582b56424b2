// Test support: a fake Kasi that applies pushed ops the way the server does (signature over
// @kasi/domain's canonical text, idempotent by sale id, one sale per code, each code leased
// to one phone), and feeds stock the way sync.pull does.
import {
  canonicalSaleOp,
  generateVoucherCodes,
  type OpAnswer,
  type SignedSaleOp,
  type SyncReason,
} from '@kasi/domain';
import type { SyncError } from './sync-error.ts';
import type { PullFeed, SyncTransport, TodayFeed } from './sync-types.ts';

export const PROFILE = {
  userId: '00000000-0000-4000-8000-000000000001',
  email: 'agent@field.test',
  name: 'Field Agent',
  tenantName: 'Acme WISP',
  currency: 'KES',
  commissionBps: 500,
};

interface FakeDevice {
  key: CryptoKey;
  status: PullFeed['device']['status'];
  lastSeq: number;
}

export class FakeKasi implements SyncTransport {
  readonly devices = new Map<string, FakeDevice>();
  readonly vouchers = new Map<string, { leasedTo: string; soldBy: string | null; priceMinor: bigint }>();
  readonly sales = new Map<string, { text: string; code: string; buyerPhone: string | null }>();
  /** Seqs of every push received, in arrival order. */
  readonly pushes: number[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  latencyMs = 0;
  /** Runs after the ops were applied and before the answer leaves: throw to lose the answer. */
  afterApply: (() => void) | null = null;
  /** Makes the next request fail before anything is applied. */
  failNext: SyncError | null = null;

  async register(input: { label: string; publicKey: JsonWebKey }) {
    const id = crypto.randomUUID();
    const jwk = { ...input.publicKey, ext: true };
    const key = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'verify',
    ]);
    this.devices.set(id, { key, status: 'pending', lastSeq: 0 });
    return { id, status: 'pending' as const };
  }

  approve(deviceId: string) {
    const device = this.devices.get(deviceId);
    if (device) device.status = 'approved';
  }

  lease(deviceId: string, count: number, priceMinor = 2000n): string[] {
    const codes = generateVoucherCodes(count, { length: 8 });
    for (const code of codes) this.vouchers.set(code, { leasedTo: deviceId, soldBy: null, priceMinor });
    return codes;
  }

  async push(deviceId: string, ops: SignedSaleOp[]): Promise<OpAnswer[]> {
    this.takeFailure();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      this.pushes.push(ops.map((o) => o.seq));
      if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
      const answers: OpAnswer[] = [];
      for (const op of ops) answers.push(await this.apply(deviceId, op));
      this.afterApply?.();
      return answers;
    } finally {
      this.inFlight--;
    }
  }

  private async apply(deviceId: string, op: SignedSaleOp): Promise<OpAnswer> {
    const answer = (result: OpAnswer['result'], reason?: SyncReason): OpAnswer => ({
      saleId: op.saleId,
      seq: op.seq,
      result,
      ...(reason && { reason }),
    });
    const device = this.devices.get(deviceId);
    const text = canonicalSaleOp(deviceId, op);
    const signature = Uint8Array.from(atob(op.signature), (c) => c.charCodeAt(0));
    const data = new TextEncoder().encode(text);
    const ok =
      device && (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, device.key, signature, data));
    if (!device || !ok) return answer('rejected', 'bad_signature');
    const known = this.sales.get(op.saleId);
    if (known) {
      // As the server does: the same sale signed again with a buyer phone added is a duplicate.
      const phoneAdded =
        op.buyerPhone && known.text === canonicalSaleOp(deviceId, { ...op, buyerPhone: null });
      if (phoneAdded && known.buyerPhone === null) known.buyerPhone = op.buyerPhone;
      return known.text === text || phoneAdded ? answer('duplicate') : answer('rejected', 'sale_id_reused');
    }
    device.lastSeq = Math.max(device.lastSeq, op.seq);
    const voucher = this.vouchers.get(op.code);
    if (!voucher) return answer('rejected', 'unknown_code');
    if (voucher.leasedTo !== deviceId) return answer('rejected', 'not_leased_to_device');
    if (voucher.soldBy) return answer('rejected', 'already_sold');
    voucher.soldBy = op.saleId;
    this.sales.set(op.saleId, { text, code: op.code, buyerPhone: op.buyerPhone });
    return answer('applied');
  }

  async pull(deviceId: string): Promise<PullFeed> {
    this.takeFailure();
    const device = this.devices.get(deviceId);
    const leased = [...this.vouchers]
      .filter(([, v]) => v.leasedTo === deviceId && !v.soldBy)
      .map(([code, v]) => ({
        code,
        leaseId: '00000000-0000-4000-8000-00000000000a',
        planName: 'Hour',
        priceMinor: v.priceMinor,
        currency: 'KES',
        validitySeconds: 3600,
        validityText: '1 hour',
      }));
    return {
      cursor: String(this.pushes.length + leased.length),
      device: { id: deviceId, status: device?.status ?? 'revoked', lastSeq: device?.lastSeq ?? 0 },
      leased,
      revoked: [],
    };
  }

  async today(): Promise<TodayFeed> {
    return {
      day: '2026-11-22',
      currency: 'KES',
      salesCount: this.sales.size,
      salesMinor: 2000n * BigInt(this.sales.size),
      commissionMinor: 0n,
      owedMinor: 2000n * BigInt(this.sales.size),
      unsoldCount: 0,
      unsoldFaceMinor: 0n,
      headroomMinor: 0n,
    };
  }

  private takeFailure() {
    const failure = this.failNext;
    this.failNext = null;
    if (failure) throw failure;
  }
}
