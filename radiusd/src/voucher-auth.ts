// Authorises a voucher login: one query for the code, its plan and its open sessions,
// the pure policy decision, and — on first login — starting the validity clock.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { plans, radiusSessions, vouchers, type Database } from '@kasi/db';
import { decideAccess, normalizeVoucherCode, type AccessDecision, type PlanLimits } from '@kasi/domain';

export type VoucherDecision =
  | (AccessDecision & { voucherId: string; password: string })
  | { accept: false; reason: 'unknown_user'; voucherId: null; password: null };

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
  };
}

/** The user name a voucher login arrives with is the code itself (hotspot "login by code"). */
export async function authorizeVoucher(
  db: Database,
  tenantId: string,
  userName: string,
  now = new Date(),
): Promise<VoucherDecision> {
  const code = normalizeVoucherCode(userName);
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
  if (!row) return { accept: false, reason: 'unknown_user', voucherId: null, password: null };
  const { voucher } = row;
  const decision = decideAccess({
    plan: limitsOf(row.plan),
    usage: {
      status: voucher.status,
      locked: voucher.locked,
      firstUsedAt: voucher.firstUsedAt,
      expiresAt: voucher.expiresAt,
      usedSeconds: voucher.usedSeconds,
      usedOctets: voucher.usedOctets,
    },
    openSessions: row.open,
    now,
  });
  if (decision.accept && decision.grant.firstUse) {
    const { at, expiresAt } = decision.grant.firstUse;
    await db
      .update(vouchers)
      .set({ firstUsedAt: at, expiresAt, status: 'active' })
      .where(and(eq(vouchers.id, voucher.id), isNull(vouchers.firstUsedAt)));
  }
  return { ...decision, voucherId: voucher.id, password: code };
}
