// Reading the audit trail (admins and owners) and proving its chain: the rows recomputed
// under the audit MAC keys and compared with the heads exported outside the database.
import { and, desc, eq, lt } from 'drizzle-orm';
import { auditLog, verifyAuditLog, type AuditVerdict } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { readTenantHeads } from './audit-head-file.ts';

export async function listAudit(
  app: AppContext,
  actor: Actor,
  opts: { limit: number; before?: bigint | undefined },
) {
  requirePermission(actor, 'audit.read');
  const where = opts.before
    ? and(eq(auditLog.tenantId, actor.tenantId), lt(auditLog.id, opts.before))
    : eq(auditLog.tenantId, actor.tenantId);
  return app.db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(opts.limit);
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
