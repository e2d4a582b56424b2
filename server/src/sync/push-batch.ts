// Applies a run of signed sale ops from one device in one transaction, each op exactly once:
// the device row lock serialises the device's pushes; everything an op writes is inside its
// own savepoint, so a rejected or failed op is undone alone and the others stand. What the ops
// leave for later — ledger lines, receipt jobs, the device's sequence, audit rows — is
// collected and written at the end in a few statements, in the same transaction: all of it
// commits, or none of it.
import { and, eq, inArray } from 'drizzle-orm';
import {
  agentDevices,
  agentLedger,
  agents,
  voucherSales,
  writeAudit,
  type AuditEntry,
  type Transaction,
} from '@kasi/db';
import {
  canonicalSaleOp,
  checkSequence,
  commissionFor,
  type OpAnswer,
  type SignedSaleOp,
} from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { payloadHash, verifyDeviceSignature } from '../agents/device-key.ts';
import { findDevice, type DeviceRow } from '../agents/device.repository.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { recordConflict } from './conflict.service.ts';
import { addBuyerPhone, Rejection, sellVoucher, type SoldVoucher } from './sale-op.ts';
import { maskPhone } from '../sms/phone-number.ts';
import type { EnqueueRequest } from '../jobs/job-queue.ts';
import { saleReceiptDedupeKey, saleReceiptJob } from '../sms/sale-receipt.job.ts';

/**
 * Ops per transaction. Each sold op is a subtransaction with its own xid; more than 64 in one
 * transaction overflow PostgreSQL's per-backend cache and slow every other session's snapshots.
 */
export const OPS_PER_TRANSACTION = 50;

interface PushState {
  tx: Transaction;
  actor: Actor;
  device: DeviceRow;
  commissionBps: number;
  /** Sale ids of this tenant already stored, with their payload hash. */
  stored: Map<string, string>;
  sequenceTouched: boolean;
  ledger: (typeof agentLedger.$inferInsert)[];
  /** Receipt jobs, enqueued together at the end. */
  jobs: Omit<EnqueueRequest<{ tenantId: string; saleId: string }>, 'kind'>[];
  audit: AuditEntry[];
}

/**
 * Answers the ops in the order given (the caller sorts by seq). If an op fails unexpectedly
 * after others were answered, those are committed and answered, and the failing op and the
 * rest are left unanswered: the device sends them again. A failure on the first op throws.
 */
export async function applySaleOps(
  app: AppContext,
  actor: Actor,
  device: DeviceRow,
  ops: SignedSaleOp[],
): Promise<OpAnswer[]> {
  // The key never changes once enrolled, so signatures are checked before taking any lock.
  const texts = ops.map((op) => canonicalSaleOp(device.id, op));
  const genuine = ops.map((op, i) =>
    verifyDeviceSignature(device.publicKeySpki, texts[i] ?? '', op.signature),
  );
  return app.db.transaction(async (tx) => {
    const state = await openPush(tx, actor, device.id, ops);
    const answers: OpAnswer[] = [];
    for (const [i, op] of ops.entries()) {
      try {
        answers.push(await applyOne(state, op, texts[i] ?? '', genuine[i] ?? false));
      } catch (e) {
        if (answers.length === 0) throw e;
        app.log.error({ err: e, requestId: actor.requestId, saleId: op.saleId }, 'sale op failed');
        break;
      }
    }
    await closePush(app, state);
    return answers;
  });
}

async function openPush(tx: Transaction, actor: Actor, deviceId: string, ops: SignedSaleOp[]) {
  const device = await findDevice(tx, actor, deviceId, { lock: true });
  // Read after the lock: a concurrent push of the same ops has committed by now.
  const [agent, stored] = await Promise.all([
    tx
      .select({ commissionBps: agents.commissionBps })
      .from(agents)
      .where(and(eq(agents.tenantId, actor.tenantId), eq(agents.id, device.agentId))),
    tx
      .select({ saleId: voucherSales.saleId, payloadHash: voucherSales.payloadHash })
      .from(voucherSales)
      .where(
        and(
          eq(voucherSales.tenantId, actor.tenantId),
          inArray(
            voucherSales.saleId,
            ops.map((op) => op.saleId),
          ),
        ),
      ),
  ]);
  if (!agent[0]) throw new Error('a device without its agent');
  return {
    tx,
    actor,
    device,
    commissionBps: agent[0].commissionBps,
    stored: new Map(stored.map((s) => [s.saleId, s.payloadHash])),
    sequenceTouched: false,
    ledger: [],
    jobs: [],
    audit: [],
  } satisfies PushState;
}

/** One op; if it fails, what it collected is dropped (its savepoints undid what it wrote). */
async function applyOne(s: PushState, op: SignedSaleOp, text: string, genuine: boolean): Promise<OpAnswer> {
  const before = { ...s, ledger: s.ledger.length, jobs: s.jobs.length, audit: s.audit.length };
  try {
    return await decide(s, op, text, genuine);
  } catch (e) {
    s.device = before.device;
    s.sequenceTouched = before.sequenceTouched;
    s.ledger.length = before.ledger;
    s.jobs.length = before.jobs;
    s.audit.length = before.audit;
    throw e;
  }
}

async function decide(s: PushState, op: SignedSaleOp, text: string, genuine: boolean): Promise<OpAnswer> {
  // Unverified ops do not move the sequence: nothing about them can be trusted.
  if (!genuine) return reject(s, op, new Rejection('bad_signature'), false);
  const hash = payloadHash(text);
  const stored = s.stored.get(op.saleId);
  // Before the status check: a retry of a sale applied before a revocation is still a duplicate.
  if (stored === hash) return { saleId: op.saleId, seq: op.seq, result: 'duplicate' };
  if (
    stored &&
    op.buyerPhone &&
    stored === payloadHash(canonicalSaleOp(s.device.id, { ...op, buyerPhone: null }))
  ) {
    return receiptAddedLater(s, op);
  }
  if (s.device.status !== 'approved') {
    return reject(s, op, new Rejection('device_not_approved', { status: s.device.status }), false);
  }
  try {
    await s.tx.transaction(async (sp) => {
      if (stored) throw new Rejection('sale_id_reused');
      const sold = await sellVoucher({ sp, actor: s.actor, device: s.device, op, hash });
      await recordSale(s, sp, op, sold);
      await advanceSequence(s, sp, op);
    });
  } catch (e) {
    if (!(e instanceof Rejection)) throw e;
    return reject(s, op, e, true);
  }
  s.stored.set(op.saleId, hash);
  return finish(s, op, { saleId: op.saleId, seq: op.seq, result: 'applied' });
}

/** The stored sale, signed again with the buyer's phone: queue its receipt; still a duplicate. */
async function receiptAddedLater(s: PushState, op: SignedSaleOp): Promise<OpAnswer> {
  const answer: OpAnswer = { saleId: op.saleId, seq: op.seq, result: 'duplicate' };
  const planId = await s.tx.transaction((sp) => addBuyerPhone(sp, s.actor, op));
  if (planId) {
    s.jobs.push(receiptJob(s.actor, op));
    s.audit.push({
      ...auditActor(s.actor),
      action: 'sale.buyer_phone',
      entityType: 'voucher_sale',
      entityId: op.saleId,
      // The audit log is kept for ever: the masked number tells changes apart, no more.
      after: { buyerPhone: maskPhone(op.buyerPhone ?? '') },
    });
  }
  return answer;
}

// The job names the sale only: the handler reads the number and code from it when it sends.
const receiptJob = (actor: Actor, op: SignedSaleOp) => ({
  data: { tenantId: actor.tenantId, saleId: op.saleId },
  dedupeKey: saleReceiptDedupeKey(op.saleId),
});

/** Ledger lines, a price flag and the receipt job for a sold code. */
async function recordSale(s: PushState, sp: Transaction, op: SignedSaleOp, sold: SoldVoucher) {
  const { actor, device } = s;
  // The agent owes the face value the stock was leased at, whatever the device reported.
  const line = {
    tenantId: actor.tenantId,
    agentId: device.agentId,
    currency: sold.currency,
    saleId: op.saleId,
  };
  const commission = commissionFor(sold.unitPriceMinor, s.commissionBps);
  s.ledger.push({ ...line, kind: 'sale', amountMinor: sold.unitPriceMinor });
  if (commission > 0n) s.ledger.push({ ...line, kind: 'commission', amountMinor: -commission });
  if (op.amountMinor !== sold.unitPriceMinor || op.currency !== sold.currency) {
    await recordConflict(sp, actor, device, op, 'amount_mismatch', {
      leasePriceMinor: sold.unitPriceMinor.toString(),
      leaseCurrency: sold.currency,
    });
  }
  // The job row is the promise that the receipt will be sent, once.
  if (op.buyerPhone) s.jobs.push(receiptJob(actor, op));
}

/** Records the refusal in its own savepoint; `counts` moves the sequence (a verified op). */
async function reject(s: PushState, op: SignedSaleOp, r: Rejection, counts: boolean): Promise<OpAnswer> {
  const answer: OpAnswer = { saleId: op.saleId, seq: op.seq, result: 'rejected', reason: r.reason };
  const isNew = await s.tx.transaction(async (sp) => {
    if (counts) await advanceSequence(s, sp, op);
    return recordConflict(sp, s.actor, s.device, op, r.reason, r.found);
  });
  return isNew ? finish(s, op, answer) : answer;
}

/** Moves the device's sequence forward; a jump flags the missing ops but the op still counts. */
async function advanceSequence(s: PushState, sp: Transaction, op: SignedSaleOp) {
  const check = checkSequence(s.device.lastSeq, op.seq);
  if (check.kind === 'gap') {
    await recordConflict(sp, s.actor, s.device, op, 'sequence_gap', {
      missingFrom: check.missingFrom,
      missingTo: check.missingTo,
    });
  }
  if (check.kind !== 'late') s.device = { ...s.device, lastSeq: op.seq };
  s.sequenceTouched = true;
}

function finish(s: PushState, op: SignedSaleOp, answer: OpAnswer): OpAnswer {
  s.audit.push({
    ...auditActor(s.actor),
    action: answer.result === 'applied' ? 'sale.apply' : 'sale.reject',
    entityType: 'voucher_sale',
    entityId: op.saleId,
    after: { code: op.code, amountMinor: op.amountMinor, ...answer },
  });
  return answer;
}

/** Writes what the ops collected; the audit lock is taken last and held only to the commit. */
async function closePush(app: AppContext, s: PushState) {
  const { tx } = s;
  await Promise.all([
    s.ledger.length ? tx.insert(agentLedger).values(s.ledger) : null,
    s.jobs.length ? app.jobs.enqueueMany(tx, saleReceiptJob, s.jobs) : null,
    s.sequenceTouched
      ? tx
          .update(agentDevices)
          .set({ lastSyncAt: new Date(), lastSeq: s.device.lastSeq })
          .where(eq(agentDevices.id, s.device.id))
      : null,
  ]);
  if (s.audit.length) await writeAudit(tx, s.audit);
}
