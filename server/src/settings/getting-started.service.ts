// The dashboard's getting-started checklist, computed from what the tenant really has: a plan,
// a router, printed cards or a subscriber, SMS and an online payment method. Done when all are.
import { sql } from 'drizzle-orm';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';

export type StepKey = 'plan' | 'router' | 'sell' | 'sms' | 'payments';

export interface GettingStartedStep {
  key: StepKey;
  done: boolean;
}

interface Found {
  plan: boolean;
  router: boolean;
  sell: boolean;
  sms: boolean;
  payments: boolean;
}

export async function gettingStarted(app: AppContext, actor: Actor) {
  requirePermission(actor, 'dashboard.read');
  const t = actor.tenantId;
  const rows = await app.db.execute<Found & Record<string, unknown>>(sql`
    select exists(select 1 from plans where tenant_id = ${t}) as plan,
           exists(select 1 from routers where tenant_id = ${t}) as router,
           exists(select 1 from voucher_print_runs where tenant_id = ${t})
             or exists(select 1 from subscribers where tenant_id = ${t}) as sell,
           exists(select 1 from sms_settings where tenant_id = ${t} and enabled) as sms,
           exists(select 1 from payment_gateways where tenant_id = ${t} and enabled) as payments`);
  const f = rows[0];
  if (!f) throw new Error('exists query returned nothing');
  const steps: GettingStartedStep[] = [
    { key: 'plan', done: f.plan },
    { key: 'router', done: f.router },
    { key: 'sell', done: f.sell },
    // The server's own Twilio account (KASI_TWILIO_*) counts as SMS set up for every tenant.
    { key: 'sms', done: f.sms || Boolean(app.sms?.defaultTwilio) },
    { key: 'payments', done: f.payments },
  ];
  return { steps, done: steps.every((s) => s.done) };
}
