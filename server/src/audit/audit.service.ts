// Reading the audit trail (admins and owners) and checking its hash chain.
import { and, desc, eq, lt } from 'drizzle-orm';
import { auditLog, verifyAuditChain } from '@kasi/db';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';

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

export async function checkAuditChain(app: AppContext, actor: Actor) {
  requirePermission(actor, 'audit.read');
  const brokenAt = await verifyAuditChain(app.db, actor.tenantId);
  return { intact: brokenAt === null, brokenAt };
}
