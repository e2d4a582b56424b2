// Plan history: each change of a plan bumps its version and keeps that version's terms, so
// an invoice can always say what a subscriber was billed from.
import { planVersions, type Executor, type plans } from '@kasi/db';

type PlanRow = typeof plans.$inferSelect;

export async function recordPlanVersion(tx: Executor, plan: PlanRow): Promise<void> {
  await tx
    .insert(planVersions)
    .values({
      tenantId: plan.tenantId,
      planId: plan.id,
      version: plan.version,
      priceMinor: plan.priceMinor,
      currency: plan.currency,
      billingPeriodUnit: plan.billingPeriodUnit,
      billingPeriodCount: plan.billingPeriodCount,
      billingMode: plan.billingMode,
      installationFeeMinor: plan.installationFeeMinor,
      snapshot: JSON.parse(
        JSON.stringify(plan, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
      ) as Record<string, unknown>,
    })
    .onConflictDoNothing();
}
