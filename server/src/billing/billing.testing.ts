// Test factories for billing: a tenant with a monthly plan and subscribers, made through
// the real services.
import { randomBytes } from 'node:crypto';
import type { Actor } from '../app-context.ts';
import type { TestApp } from '../testing/test-app.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createSubscriber } from '../subscribers/subscriber.service.ts';
import { createInvoiceDraft, finaliseInvoice } from './invoice.service.ts';

export interface BillingWorld {
  actor: Actor;
  planId: string;
  newSubscriber(): Promise<string>;
  /** A finalised invoice of one line of `amountMinor`. */
  invoice(subscriberId: string, amountMinor: bigint): Promise<{ id: string; number: bigint | null }>;
}

export async function billingWorld(t: TestApp, currency = 'KES'): Promise<BillingWorld> {
  const { actor } = await t.newTenant({ currency });
  const plan = await createPlan(t.app, actor, {
    name: 'Home 10M',
    downloadBps: 10_000_000,
    uploadBps: 2_000_000,
    priceMinor: 250_000n,
    currency,
    audience: 'subscriber',
  });
  return {
    actor,
    planId: plan.id,
    async newSubscriber() {
      const s = await createSubscriber(t.app, actor, {
        username: `sub-${randomBytes(4).toString('hex')}`,
        password: 'secret-pass-1',
        planId: plan.id,
      });
      return s.id;
    },
    async invoice(subscriberId, amountMinor) {
      const draft = await createInvoiceDraft(t.app, actor, {
        subscriberId,
        lines: [{ kind: 'plan', description: 'Home 10M', unitPriceMinor: amountMinor }],
      });
      const done = await finaliseInvoice(t.app, actor, draft.id);
      return { id: done.id, number: done.number };
    },
  };
}
