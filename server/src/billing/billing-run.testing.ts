// Test factories for the billing run: a tenant with a plan with billing terms and subscribers
// whose first day is set, made through the real services.
import { randomBytes } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { subscribers } from '@kasi/db';
import type { PlanInput } from '@kasi/domain';
import type { Actor } from '../app-context.ts';
import type { TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';

export interface RunWorld {
  actor: Actor;
  planId: string;
  /** Subscribers whose first day is `since` (a UTC instant). */
  subscribers(n: number, since: string, planId?: string): Promise<string[]>;
  plan(over: Partial<PlanInput>): Promise<string>;
}

export async function runWorld(
  t: TestApp,
  o: { currency?: string; plan?: Partial<PlanInput> } = {},
): Promise<RunWorld> {
  const currency = o.currency ?? 'KES';
  const { actor } = await t.newTenant({ currency });
  const plan = async (over: Partial<PlanInput>) =>
    (
      await createPlan(t.app, actor, {
        name: `Home ${randomBytes(3).toString('hex')}`,
        downloadBps: 10_000_000,
        uploadBps: 2_000_000,
        priceMinor: 250_000n,
        currency,
        audience: 'subscriber',
        ...over,
      })
    ).id;
  const planId = await plan(o.plan ?? {});
  return {
    actor,
    planId,
    plan,
    async subscribers(n, since, forPlan = planId) {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const s = await createSubscriber(t.app, actor, {
          username: `sub-${randomBytes(4).toString('hex')}`,
          password: 'secret-pass-1',
          planId: forPlan,
        });
        ids.push(s.id);
      }
      await t.app.db
        .update(subscribers)
        .set({ createdAt: new Date(since) })
        .where(inArray(subscribers.id, ids));
      return ids;
    },
  };
}
