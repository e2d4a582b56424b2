// Pushes the outbox to Kasi in seq order, a small batch at a time, under the outbox lock.
// Every answered op leaves the outbox in the same transaction that records its result;
// an op whose answer was lost is simply sent again and comes back 'duplicate'.
import type { OpAnswer } from '@kasi/domain';
import { patchSyncState, THIS_DEVICE, type AgentDb, type OutboxItem } from './agent-db.ts';
import { backoffDelay } from './backoff.ts';
import type { WebLock } from './web-lock.ts';
import { toWireOp } from './sale-op.ts';
import { asSyncError, SyncError } from './sync-error.ts';
import type { SyncTransport } from './sync-types.ts';

export interface SyncContext {
  db: AgentDb;
  transport: SyncTransport;
  lock: WebLock;
  now?: () => number;
  random?: () => number;
  /** Ops per request: small, so a slow link finishes a request before it drops. */
  batchSize?: number;
}

export interface PushSummary {
  applied: number;
  duplicate: number;
  rejected: number;
}

export const PUSH_BATCH_SIZE = 20;

/** Drains the outbox; resolves when it is empty, throws SyncError when a request fails. */
export function pushOutbox(ctx: SyncContext): Promise<PushSummary> {
  return ctx.lock.run(() => drain(ctx));
}

async function drain(ctx: SyncContext): Promise<PushSummary> {
  const { db, transport } = ctx;
  const summary: PushSummary = { applied: 0, duplicate: 0, rejected: 0 };
  const device = await db.device.get(THIS_DEVICE);
  if (!device?.serverId) return summary;
  let batchSize = ctx.batchSize ?? PUSH_BATCH_SIZE;
  for (;;) {
    const ops = await db.outbox.orderBy('seq').limit(batchSize).toArray();
    if (ops.length === 0) return summary;
    let answers: OpAnswer[];
    try {
      answers = await transport.push(
        device.serverId,
        ops.map((o) => toWireOp(o.op)),
      );
    } catch (e) {
      const error = asSyncError(e);
      // One unreadable op must not hold up the rest: narrow down to it, then set it aside.
      if (error.kind === 'invalid' && ops.length > 1) {
        batchSize = 1;
        continue;
      }
      if (error.kind === 'invalid' && ops[0]) {
        await setAside(ctx, ops[0], 'invalid_op');
        summary.rejected++;
        continue;
      }
      await recordSyncFailure(ctx, ops, error);
      throw error;
    }
    const counted = await recordAnswers(ctx, ops, answers);
    summary.applied += counted.applied;
    summary.duplicate += counted.duplicate;
    summary.rejected += counted.rejected;
    if (counted.applied + counted.duplicate + counted.rejected === 0) {
      const error = new SyncError('server', 'Kasi answered none of the sales sent');
      await recordSyncFailure(ctx, ops, error);
      throw error;
    }
  }
}

async function recordAnswers(ctx: SyncContext, ops: OutboxItem[], answers: OpAnswer[]): Promise<PushSummary> {
  const { db } = ctx;
  const at = new Date(ctx.now?.() ?? Date.now()).toISOString();
  const bySeq = new Map(ops.map((o) => [o.seq, o]));
  const counted: PushSummary = { applied: 0, duplicate: 0, rejected: 0 };
  await db.transaction('rw', [db.outbox, db.sales, db.rejections, db.syncState], async () => {
    for (const answer of answers) {
      const item = bySeq.get(answer.seq);
      if (!item || item.saleId !== answer.saleId) continue;
      counted[answer.result]++;
      if (answer.result === 'rejected') {
        await rejectLocally(ctx, item, answer.reason ?? 'unknown', at);
        continue;
      }
      await db.outbox.delete(item.seq);
      // Applied ops may carry a flag (amount_mismatch, sequence_gap) for the operator; kept for the record.
      await db.sales.update(item.saleId, { status: 'synced', syncedAt: at, reason: answer.reason ?? null });
    }
    await patchSyncState(db, { failures: 0, retryAt: 0, lastError: null, blocked: null });
  });
  return counted;
}

async function rejectLocally(ctx: SyncContext, item: OutboxItem, reason: string, at: string) {
  const { db } = ctx;
  await db.outbox.delete(item.seq);
  await db.sales.update(item.saleId, { status: 'rejected', reason });
  const { saleId, seq, code, amountMinor, currency } = item.op;
  await db.rejections.put({ saleId, seq, code, amountMinor, currency, reason, at });
}

async function setAside(ctx: SyncContext, item: OutboxItem, reason: string) {
  const { db } = ctx;
  const at = new Date(ctx.now?.() ?? Date.now()).toISOString();
  await db.transaction('rw', [db.outbox, db.sales, db.rejections], () =>
    rejectLocally(ctx, item, reason, at),
  );
}

/** Counts the failure against the batch and schedules the next attempt with backoff. */
export async function recordSyncFailure(ctx: SyncContext, ops: OutboxItem[], error: SyncError) {
  const { db } = ctx;
  const now = ctx.now?.() ?? Date.now();
  await db.transaction('rw', [db.outbox, db.syncState], async () => {
    const state = await db.syncState.get('sync');
    const failures = (state?.failures ?? 0) + 1;
    const retryAt = now + backoffDelay(failures, ctx.random);
    for (const op of ops) {
      await db.outbox.update(op.seq, {
        attempts: op.attempts + 1,
        nextAttemptAt: retryAt,
        lastError: error.message,
      });
    }
    const blocked = error.kind === 'signed-out' || error.kind === 'refused' ? error.kind : null;
    await patchSyncState(db, { failures, retryAt, lastError: error.message, blocked });
  });
}
