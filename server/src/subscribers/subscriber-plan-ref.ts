// A plan as people write it — its name (any case) or its id — for the CLI and the CSV import.
import { eq } from 'drizzle-orm';
import { plans, type Executor } from '@kasi/db';
import { notFound } from '@kasi/domain';

export type PlanRef = { id: string; name: string };

/** The tenant's plans, and a finder that takes an id or a name. */
export async function planFinder(db: Executor, tenantId: string) {
  const all: PlanRef[] = await db
    .select({ id: plans.id, name: plans.name })
    .from(plans)
    .where(eq(plans.tenantId, tenantId));
  return (ref: string): PlanRef | undefined =>
    all.find((p) => p.id === ref) ?? all.find((p) => p.name.toLowerCase() === ref.trim().toLowerCase());
}

export async function findPlan(db: Executor, tenantId: string, ref: string): Promise<PlanRef> {
  const plan = (await planFinder(db, tenantId))(ref);
  if (!plan) throw notFound('PLAN.NOT_FOUND', `No plan "${ref}" (give its name or its id)`);
  return plan;
}
