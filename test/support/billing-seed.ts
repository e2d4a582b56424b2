// The tenant the billing-side tests start from: an owner, the monthly "Home 10M" plan and a
// few subscribers on it, all made through the real CLI as an operator would on a fresh install.
import type { KasiProcess } from './kasi-process.ts';
import { createTenant, type Owner } from './seed.ts';

export interface BilledTenant {
  kasi: KasiProcess;
  owner: Owner;
  /** Usernames to add on the plan; each gets the password `<username>-secret-1`. */
  subscribers: string[];
}

/** Tenant `acme` (KES) with plan "Home 10M" (10M down / 2M up, 1500.00 a month) and its subscribers. */
export async function seedBilledTenant(o: BilledTenant) {
  await createTenant(o.kasi, o.owner);
  const plan = await o.kasi.cli<{ id: string }>(
    'plan:create',
    '--tenant',
    'acme',
    '--name',
    'Home 10M',
    '--download',
    '10M',
    '--upload',
    '2M',
    '--price',
    '1500',
  );
  const subscriberIds: Record<string, string> = {};
  for (const username of o.subscribers) {
    const { subscriber } = await o.kasi.cli<{ subscriber: { id: string } }>(
      'subscriber:add',
      '--tenant',
      'acme',
      '--username',
      username,
      '--password',
      `${username}-secret-1`,
      '--plan',
      plan.id,
    );
    subscriberIds[username] = subscriber.id;
  }
  return { planId: plan.id, subscriberIds };
}
