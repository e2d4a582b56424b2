// Applies one signed sale op from a device, exactly once, in one transaction: the device row
// lock serialises its ops; the sale id and (device, seq) are unique; the voucher moves only
// if it is still leased to this device and unsold. Ledger lines, follow-up jobs, conflicts,
// the sequence and the audit row commit with it, or not at all.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  agentDevices,
  agentLedger,
  agents,
  jobs,
  voucherLeases,
  voucherSales,
  vouchers,
  writeAudit,
  type Transaction,
} from '@kasi/db';
import {
  canonicalSaleOp,
  checkSequence,
  commissionFor,
  type CredentialStatus,
  type OpAnswer,
  type SignedSaleOp,
  type SyncReason,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { payloadHash, verifyDeviceSignature } from '../agents/device-key.ts';
import { findDevice, type DeviceRow } from '../agents/device.repository.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { recordConflict } from './conflict.service.ts';

/** A buyer may log in before the agent's phone syncs: such codes are sold all the same. */
const SELLABLE: CredentialStatus[] = ['leased', 'active', 'exhausted', 'expired'];

class Rejection extends Error {
  readonly reason: SyncReason;
  readonly found: Record<string, unknown>;
  constructor(reason: SyncReason, found: Record<string, unknown> = {}) {
    super(reason);
    this.reason = reason;
    this.found = found;
  }
}

export async function applySaleOp(app: AppContext, actor: Actor, deviceId: string, op: SignedSaleOp) {
  return app.db.transaction(async (tx): Promise<OpAnswer> => {
    const device = await findDevice(tx, actor, deviceId, { lock: true });
    const text = canonicalSaleOp(device.id, op);
    const reject = async (reason: SyncReason, found: Record<string, unknown> = {}) => {
      const answer: OpAnswer = { saleId: op.saleId, seq: op.seq, result: 'rejected', reason };
      const isNew = await recordConflict(tx, actor, device, op, reason, found);
      return isNew ? finish(tx, actor, op, answer) : answer;
    };
    // Unverified ops do not move the sequence: nothing about them can be trusted.
    if (!verifyDeviceSignature(device.publicKeySpki, text, op.signature)) return reject('bad_signature');
    const hash = payloadHash(text);
    const [existing] = await tx
      .select({ payloadHash: voucherSales.payloadHash })
      .from(voucherSales)
      .where(and(eq(voucherSales.tenantId, actor.tenantId), eq(voucherSales.saleId, op.saleId)));
    // Before the status check: a retry of a sale applied before a revocation is still a duplicate.
    if (existing?.payloadHash === hash) return { saleId: op.saleId, seq: op.seq, result: 'duplicate' };
    if (device.status !== 'approved') return reject('device_not_approved', { status: device.status });

    try {
      if (existing) throw new Rejection('sale_id_reused');
      // A savepoint, so a rejection found after the voucher moved undoes only the sale.
      await tx.transaction((sp) => sell(sp, actor, device, op, hash));
    } catch (e) {
      if (!(e instanceof Rejection)) throw e;
      await advanceSequence(tx, actor, device, op);
      return reject(e.reason, e.found);
    }
    await advanceSequence(tx, actor, device, op);
    return finish(tx, actor, op, { saleId: op.saleId, seq: op.seq, result: 'applied' });
  });
}

async function sell(sp: Transaction, actor: Actor, device: DeviceRow, op: SignedSaleOp, hash: string) {
  const [voucher] = await sp
    .update(vouchers)
    .set({
      status: sql`case when ${vouchers.status} = 'leased' then 'sold' else ${vouchers.status} end`,
      soldAt: new Date(op.soldAt),
    })
    .where(
      and(
        eq(vouchers.tenantId, actor.tenantId),
        eq(vouchers.code, op.code),
        eq(vouchers.leasedDeviceId, device.id),
        isNull(vouchers.soldAt),
        eq(vouchers.locked, false),
        inArray(vouchers.status, SELLABLE),
      ),
    )
    .returning({ id: vouchers.id, leaseId: vouchers.leaseId });
  if (!voucher) throw await diagnose(sp, actor, device, op.code);
  if (!voucher.leaseId) throw new Error('a leased voucher without its lease');
  const [lease] = await sp
    .select()
    .from(voucherLeases)
    .where(and(eq(voucherLeases.tenantId, actor.tenantId), eq(voucherLeases.id, voucher.leaseId)));
  const [agent] = await sp
    .select()
    .from(agents)
    .where(and(eq(agents.tenantId, actor.tenantId), eq(agents.id, device.agentId)));
  if (!lease || !agent) throw new Error('a leased voucher without its lease or agent');

  const inserted = await sp
    .insert(voucherSales)
    .values({
      saleId: op.saleId,
      tenantId: actor.tenantId,
      deviceId: device.id,
      agentId: device.agentId,
      seq: op.seq,
      voucherId: voucher.id,
      code: op.code,
      amountMinor: op.amountMinor,
      currency: op.currency,
      soldAt: new Date(op.soldAt),
      payloadHash: hash,
      signature: op.signature,
      buyerPhone: op.buyerPhone,
    })
    .onConflictDoNothing()
    .returning({ saleId: voucherSales.saleId });
  if (!inserted.length) {
    const [seqTaken] = await sp
      .select({ saleId: voucherSales.saleId })
      .from(voucherSales)
      .where(
        and(
          eq(voucherSales.tenantId, actor.tenantId),
          eq(voucherSales.deviceId, device.id),
          eq(voucherSales.seq, op.seq),
        ),
      );
    throw new Rejection(seqTaken ? 'seq_reused' : 'sale_id_reused');
  }

  // The agent owes the face value the stock was leased at, whatever the device reported.
  const ledger = { tenantId: actor.tenantId, agentId: agent.id, currency: lease.currency, saleId: op.saleId };
  const commission = commissionFor(lease.unitPriceMinor, agent.commissionBps);
  await sp
    .insert(agentLedger)
    .values([
      { ...ledger, kind: 'sale', amountMinor: lease.unitPriceMinor },
      ...(commission > 0n ? [{ ...ledger, kind: 'commission' as const, amountMinor: -commission }] : []),
    ]);
  if (op.amountMinor !== lease.unitPriceMinor || op.currency !== lease.currency) {
    await recordConflict(sp, actor, device, op, 'amount_mismatch', {
      leasePriceMinor: lease.unitPriceMinor.toString(),
      leaseCurrency: lease.currency,
    });
  }
  if (op.buyerPhone) {
    // No worker drains this yet; the row is the promise that the receipt will be sent once.
    await sp
      .insert(jobs)
      .values({
        tenantId: actor.tenantId,
        kind: 'sms.sale_receipt',
        payload: { saleId: op.saleId, code: op.code, phone: op.buyerPhone, planId: lease.planId },
        dedupeKey: `sms.sale_receipt:${op.saleId}`,
      })
      .onConflictDoNothing();
  }
}

/** Why the conditional update found no row, for the agent's screen and the operator's list. */
async function diagnose(sp: Transaction, actor: Actor, device: DeviceRow, code: string): Promise<Rejection> {
  const [v] = await sp
    .select({
      status: vouchers.status,
      locked: vouchers.locked,
      soldAt: vouchers.soldAt,
      leasedDeviceId: vouchers.leasedDeviceId,
    })
    .from(vouchers)
    .where(and(eq(vouchers.tenantId, actor.tenantId), eq(vouchers.code, code)));
  if (!v) return new Rejection('unknown_code');
  const found = { status: v.status, locked: v.locked, soldAt: v.soldAt, leasedDeviceId: v.leasedDeviceId };
  if (v.status === 'void') return new Rejection('void', found);
  if (v.leasedDeviceId !== device.id) return new Rejection('not_leased_to_device', found);
  if (v.soldAt) return new Rejection('already_sold', found);
  if (v.locked) return new Rejection('locked', found);
  return new Rejection('not_leased_to_device', found);
}

/** Moves the device's sequence forward; a jump flags the missing ops but the op still counts. */
async function advanceSequence(tx: Transaction, actor: Actor, device: DeviceRow, op: SignedSaleOp) {
  const check = checkSequence(device.lastSeq, op.seq);
  if (check.kind === 'gap') {
    await recordConflict(tx, actor, device, op, 'sequence_gap', {
      missingFrom: check.missingFrom,
      missingTo: check.missingTo,
    });
  }
  await tx
    .update(agentDevices)
    .set({ lastSyncAt: new Date(), ...(check.kind !== 'late' && { lastSeq: op.seq }) })
    .where(eq(agentDevices.id, device.id));
}

async function finish(tx: Transaction, actor: Actor, op: SignedSaleOp, answer: OpAnswer) {
  await writeAudit(tx, {
    ...auditActor(actor),
    action: answer.result === 'applied' ? 'sale.apply' : 'sale.reject',
    entityType: 'voucher_sale',
    entityId: op.saleId,
    after: { code: op.code, amountMinor: op.amountMinor, ...answer },
  });
  return answer;
}
