// Reading the audit trail (admins and owners) and proving its chain: the rows recomputed
// under the audit MAC keys and compared with the heads exported outside the database.
import { and, desc, eq, ilike, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog, tenants, verifyAuditLog, type AuditVerdict } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { readTenantHeads } from './audit-head-file.ts';
import { isoDay } from '../cash/report-days.ts';

/** Filters of the viewer; days are the tenant's calendar days, both ends included. */
export const auditListInput = z.object({
  limit: z.number().int().min(1).max(500).default(100),
  /** Keyset: the id of the last row of the previous page (newest first). */
  before: z.bigint().optional(),
  /** Who: part of the actor's label (an email, "cli", "radiusd"), any case. */
  person: z.string().trim().max(200).optional(),
  /** What: an action ("voucher.void") or its start ("voucher."). */
  action: z.string().trim().max(100).optional(),
  /** Which object: its type ("subscriber"), and optionally its id. */
  entityType: z.string().trim().max(100).optional(),
  entityId: z.string().trim().max(100).optional(),
  fromDay: isoDay.optional(),
  toDay: isoDay.optional(),
});
export type AuditListInput = z.input<typeof auditListInput>;

const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function auditConditions(actor: Actor, f: z.output<typeof auditListInput>, timezone: string) {
  const localDay = sql`(${auditLog.at} at time zone ${timezone})::date`;
  return and(
    eq(auditLog.tenantId, actor.tenantId),
    f.before ? lt(auditLog.id, f.before) : undefined,
    f.person ? ilike(auditLog.actor, `%${literal(f.person)}%`) : undefined,
    f.action ? sql`${auditLog.action} like ${`${literal(f.action)}%`}` : undefined,
    f.entityType ? eq(auditLog.entityType, f.entityType) : undefined,
    f.entityId ? eq(auditLog.entityId, f.entityId) : undefined,
    f.fromDay ? sql`${localDay} >= ${f.fromDay}::date` : undefined,
    f.toDay ? sql`${localDay} <= ${f.toDay}::date` : undefined,
  );
}

export async function tenantTimezone(app: AppContext, actor: Actor): Promise<string> {
  const [t] = await app.db
    .select({ timezone: tenants.timezone })
    .from(tenants)
    .where(eq(tenants.id, actor.tenantId));
  return t?.timezone ?? 'UTC';
}

/** One page of the trail, newest first, filtered; `nextBefore` continues it. */
export async function listAudit(app: AppContext, actor: Actor, input: AuditListInput = {}) {
  requirePermission(actor, 'audit.read');
  const f = auditListInput.parse(input);
  const timezone = await tenantTimezone(app, actor);
  const rows = await app.db
    .select({
      id: auditLog.id,
      seq: auditLog.seq,
      at: auditLog.at,
      actor: auditLog.actor,
      actorUserId: auditLog.actorUserId,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
      requestId: auditLog.requestId,
    })
    .from(auditLog)
    .where(auditConditions(actor, f, timezone))
    .orderBy(desc(auditLog.id))
    .limit(f.limit);
  const last = rows.length === f.limit ? rows.at(-1) : undefined;
  return { rows, timezone, nextBefore: last ? last.id : null };
}

export interface AuditCheck extends AuditVerdict {
  /** False when no head file exists: deleting the newest rows cannot be detected then. */
  headFileFound: boolean;
  unreadableHeadLines: number;
}

export async function checkAuditChain(app: AppContext, actor: Actor): Promise<AuditCheck> {
  requirePermission(actor, 'audit.read');
  const exported = await readTenantHeads(app.audit.headFile, actor.tenantId);
  const verdict = await verifyAuditLog(app.db, actor.tenantId, {
    keys: app.audit.keys,
    heads: exported.heads,
  });
  return { ...verdict, headFileFound: exported.fileFound, unreadableHeadLines: exported.unreadableLines };
}
