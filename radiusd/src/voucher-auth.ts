// Authorises a voucher login: one query for the code, its plan and its open sessions,
// the pure policy decision, and — on first login — starting the validity clock.
// The last state seen for each code is kept so known users can still log in while
// PostgreSQL is unreachable (for a bounded time).
import { and, eq, isNull, sql } from 'drizzle-orm';
import { plans, radiusSessions, vouchers, type Database } from '@kasi/db';
import { decideAccess, normalizeVoucherCode, type AccessDecision, type PlanLimits } from '@kasi/domain';
import { isDatabaseUnavailable } from './db-errors.ts';

export type VoucherDecision =
  | (AccessDecision & { voucherId: string; fromCache: boolean })
  | { accept: false; reason: 'unknown_user'; voucherId: null; fromCache: boolean };

interface VoucherState {
  voucher: typeof vouchers.$inferSelect;
  plan: typeof plans.$inferSelect;
  open: number;
  seenAt: number;
}

export class OutageCache {
  readonly #entries = new Map<string, VoucherState>();
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;

  constructor(maxAgeMs: number, maxEntries = 200_000) {
    this.#maxAgeMs = maxAgeMs;
    this.#maxEntries = maxEntries;
  }

  remember(key: string, state: VoucherState): void {
    this.#entries.delete(key);
    this.#entries.set(key, state);
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  recall(key: string, now: number): VoucherState | undefined {
    const s = this.#entries.get(key);
    return s && now - s.seenAt <= this.#maxAgeMs ? s : undefined;
  }
}

function limitsOf(p: typeof plans.$inferSelect): PlanLimits {
  const burst =
    p.burstDownloadBps &&
    p.burstUploadBps &&
    p.burstThresholdDownloadBps &&
    p.burstThresholdUploadBps &&
    p.burstTimeSeconds
      ? {
          downloadBps: p.burstDownloadBps,
          uploadBps: p.burstUploadBps,
          thresholdDownloadBps: p.burstThresholdDownloadBps,
          thresholdUploadBps: p.burstThresholdUploadBps,
          timeSeconds: p.burstTimeSeconds,
        }
      : null;
  return {
    speed: { downloadBps: p.downloadBps, uploadBps: p.uploadBps, burst },
    validitySeconds: p.validitySeconds,
    timeQuotaSeconds: p.timeQuotaSeconds,
    dataQuotaBytes: p.dataQuotaBytes,
    sharedUsers: p.sharedUsers,
    idleTimeoutSeconds: p.idleTimeoutSeconds,
    interimIntervalSeconds: p.interimIntervalSeconds,
    addressPool: p.addressPool,
    exhaustedAction: p.exhaustedAction,
    walledGardenList: p.walledGardenList,
  };
}

async function loadState(
  db: Database,
  tenantId: string,
  userName: string,
  code: string,
  now: Date,
): Promise<VoucherState | null> {
  const [row] = await db
    .select({
      voucher: vouchers,
      plan: plans,
      open: sql<number>`(select count(*) from ${radiusSessions} where ${radiusSessions.tenantId} = ${tenantId} and ${radiusSessions.userName} = ${userName} and ${radiusSessions.stoppedAt} is null)`.mapWith(
        Number,
      ),
    })
    .from(vouchers)
    .innerJoin(plans, eq(plans.id, vouchers.planId))
    .where(and(eq(vouchers.tenantId, tenantId), eq(vouchers.code, code)));
  return row ? { ...row, seenAt: now.getTime() } : null;
}

export interface AuthorizeOptions {
  now?: Date;
  cache?: OutageCache;
}

/** The user name a voucher login arrives with is the code itself (hotspot "login by code"). */
export async function authorizeVoucher(
  db: Database,
  tenantId: string,
  userName: string,
  opts: AuthorizeOptions = {},
): Promise<VoucherDecision> {
  const now = opts.now ?? new Date();
  const code = normalizeVoucherCode(userName);
  const key = `${tenantId}|${code}`;
  let state: VoucherState | null;
  let fromCache = false;
  try {
    state = await loadState(db, tenantId, userName, code, now);
    if (state) opts.cache?.remember(key, state);
  } catch (e) {
    const cached = isDatabaseUnavailable(e) ? opts.cache?.recall(key, now.getTime()) : undefined;
    if (!cached) throw e;
    state = cached;
    fromCache = true;
  }
  if (!state) return { accept: false, reason: 'unknown_user', voucherId: null, fromCache };
  const { voucher } = state;
  const decision = decideAccess({
    plan: limitsOf(state.plan),
    usage: {
      status: voucher.status,
      locked: voucher.locked,
      firstUsedAt: voucher.firstUsedAt,
      expiresAt: voucher.expiresAt,
      usedSeconds: voucher.usedSeconds,
      usedOctets: voucher.usedOctets,
    },
    openSessions: state.open,
    now,
  });
  if (decision.accept && decision.grant.firstUse && !fromCache) {
    const { at, expiresAt } = decision.grant.firstUse;
    await db
      .update(vouchers)
      .set({ firstUsedAt: at, expiresAt, status: 'active' })
      .where(and(eq(vouchers.id, voucher.id), isNull(vouchers.firstUsedAt)));
  }
  return { ...decision, voucherId: voucher.id, fromCache };
}
