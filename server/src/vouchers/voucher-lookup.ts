// One code as a customer on the phone describes it: its channel and usage state (ADR 0012,
// voucher-figures.ts), plan, batch, who sold it, first login, expiry, the devices (MAC) and
// sessions that used it with their usage, open ones included. Also the one-code actions the
// batch page has no room for: extend by hours (short plans) or days.
import { and, desc, eq, sql } from 'drizzle-orm';
import {
  agents,
  nas,
  plans,
  radiusSessions,
  users,
  voucherBatches,
  voucherLeases,
  voucherPrintRuns,
  vouchers,
  writeAudit,
} from '@kasi/db';
import { conflict, normalizeVoucherCode, notFound } from '@kasi/domain';
import { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { soldSql, usageStateSql } from './voucher-figures.ts';

export const voucherByCodeInput = z.object({ code: z.string().trim().min(2).max(64) });
export const extendCodeInput = z.object({
  id: z.uuid(),
  hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365),
});
export type ExtendCodeInput = z.input<typeof extendCodeInput>;

const SESSIONS_SHOWN = 50;

function openUsage(actor: Actor) {
  return {
    seconds: sql<number>`${vouchers.usedSeconds} + coalesce((select sum(${radiusSessions.sessionTime})
      from ${radiusSessions} where ${radiusSessions.tenantId} = ${actor.tenantId}
        and ${radiusSessions.voucherId} = ${vouchers.id} and ${radiusSessions.stoppedAt} is null), 0)::int`,
    octets: sql<string>`${vouchers.usedOctets} + coalesce((select sum(${radiusSessions.inputOctets} + ${radiusSessions.outputOctets})
      from ${radiusSessions} where ${radiusSessions.tenantId} = ${actor.tenantId}
        and ${radiusSessions.voucherId} = ${vouchers.id} and ${radiusSessions.stoppedAt} is null), 0)::bigint`,
  };
}

export async function voucherByCode(
  app: AppContext,
  actor: Actor,
  input: z.input<typeof voucherByCodeInput>,
) {
  requirePermission(actor, 'voucher.read');
  const typed = voucherByCodeInput.parse(input).code;
  // The audit trail names codes by id: its links open the same page.
  const byId = z.uuid().safeParse(typed).success;
  const code = normalizeVoucherCode(typed);
  const usage = openUsage(actor);
  const [row] = await app.db
    .select({
      id: vouchers.id,
      code: vouchers.code,
      channel: vouchers.channel,
      status: vouchers.status,
      state: usageStateSql(usage),
      sold: soldSql,
      soldAt: vouchers.soldAt,
      locked: vouchers.locked,
      firstUsedAt: vouchers.firstUsedAt,
      expiresAt: vouchers.expiresAt,
      createdAt: vouchers.createdAt,
      usedSeconds: sql<number>`${usage.seconds}`.mapWith(Number),
      usedOctets: sql<bigint>`${usage.octets}`.mapWith(BigInt),
      plan: {
        id: plans.id,
        name: plans.name,
        validitySeconds: plans.validitySeconds,
        timeQuotaSeconds: plans.timeQuotaSeconds,
        dataQuotaBytes: plans.dataQuotaBytes,
        sharedUsers: plans.sharedUsers,
      },
      batch: { id: voucherBatches.id, name: voucherBatches.name },
      printRun: voucherPrintRuns.number,
      agentName: users.name,
    })
    .from(vouchers)
    .innerJoin(plans, eq(plans.id, vouchers.planId))
    .innerJoin(voucherBatches, eq(voucherBatches.id, vouchers.batchId))
    .leftJoin(voucherPrintRuns, eq(voucherPrintRuns.id, vouchers.printRunId))
    .leftJoin(voucherLeases, eq(voucherLeases.id, vouchers.leaseId))
    .leftJoin(agents, eq(agents.id, voucherLeases.agentId))
    .leftJoin(users, eq(users.id, agents.userId))
    .where(
      and(eq(vouchers.tenantId, actor.tenantId), byId ? eq(vouchers.id, typed) : eq(vouchers.code, code)),
    );
  if (!row) throw notFound('VOUCHER.NOT_FOUND', byId ? 'No such code' : `No code ${code}`);
  const sessions = await app.db
    .select({
      id: radiusSessions.id,
      nasName: nas.name,
      mac: radiusSessions.callingStationId,
      framedIp: radiusSessions.framedIp,
      startedAt: radiusSessions.startedAt,
      stoppedAt: radiusSessions.stoppedAt,
      sessionTime: radiusSessions.sessionTime,
      inputOctets: radiusSessions.inputOctets,
      outputOctets: radiusSessions.outputOctets,
      terminateCause: radiusSessions.terminateCause,
    })
    .from(radiusSessions)
    .innerJoin(nas, eq(nas.id, radiusSessions.nasId))
    .where(and(eq(radiusSessions.tenantId, actor.tenantId), eq(radiusSessions.voucherId, row.id)))
    .orderBy(desc(radiusSessions.startedAt))
    .limit(SESSIONS_SHOWN);
  const macs = [...new Set(sessions.map((s) => s.mac).filter((m): m is string => !!m))];
  return { ...row, macs, sessions };
}

/**
 * Pushes one started code's expiry out by whole hours (from now when it has already
 * expired, so a customer who lost time gets it back). A code nobody has used has no expiry
 * yet: its validity starts at first login, so there is nothing to extend.
 */
export async function extendCode(app: AppContext, actor: Actor, input: ExtendCodeInput) {
  requirePermission(actor, 'voucher.write');
  const { id, hours } = extendCodeInput.parse(input);
  return app.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ code: vouchers.code, status: vouchers.status, expiresAt: vouchers.expiresAt })
      .from(vouchers)
      .where(and(eq(vouchers.tenantId, actor.tenantId), eq(vouchers.id, id)))
      .for('update');
    if (!before) throw notFound('VOUCHER.NOT_FOUND', 'No such code');
    if (before.status === 'void') throw conflict('VOUCHER.VOID', 'A void code cannot be extended');
    if (!before.expiresAt) {
      throw conflict('VOUCHER.NOT_STARTED', 'The code has no expiry yet: its time starts at first login');
    }
    const [after] = await tx
      .update(vouchers)
      .set({
        expiresAt: sql`greatest(${vouchers.expiresAt}, now()) + make_interval(hours => ${hours})`,
        status: sql`case when ${vouchers.status} = 'expired' then 'active' else ${vouchers.status} end`,
      })
      .where(and(eq(vouchers.tenantId, actor.tenantId), eq(vouchers.id, id)))
      .returning({ expiresAt: vouchers.expiresAt, status: vouchers.status });
    if (!after) throw new Error('update returned nothing');
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'voucher.extend',
      entityType: 'voucher',
      entityId: id,
      before: { expiresAt: before.expiresAt, status: before.status },
      after: { ...after, hours },
    });
    return after;
  });
}
