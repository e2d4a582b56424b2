// `pay-link:create --tenant S --subscriber USERNAME [--invoice INV-…]` and
// `pay-link:plan --tenant S --plan NAME [--mac M] [--ip A]`: a pay link from the command line
// (for an SMS sent by hand or a script). The URL is printed once.
import { and, eq } from 'drizzle-orm';
import { invoices, plans, subscribers, tenants } from '@kasi/db';
import { invalid, notFound } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import type { Command, CommandArgs } from '../cli/commands.ts';
import { createPayLink } from './pay-link.service.ts';
import { paymentDepsOf } from './payment-deps.ts';
import { createPlanPayLink } from './plan-purchase.ts';

const text = (a: CommandArgs, key: string) =>
  typeof a[key] === 'string' && a[key] ? (a[key] as string) : undefined;
function need(a: CommandArgs, key: string): string {
  const v = text(a, key);
  if (!v) throw invalid('CLI.MISSING_OPTION', `--${key} is required`);
  return v;
}

async function actorFor(app: AppContext, slug: string): Promise<Actor> {
  const [t] = await app.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  if (!t) throw notFound('TENANT.NOT_FOUND', `No tenant "${slug}"`);
  return { tenantId: t.id, userId: null, label: 'cli', role: 'owner', requestId: null };
}

export const payLinkCommand: Command = {
  summary: 'Create a pay link for a subscriber’s balance or one invoice (the URL is shown once)',
  usage: '--tenant S --subscriber USERNAME [--invoice INV-000012]',
  options: { tenant: { type: 'string' }, subscriber: { type: 'string' }, invoice: { type: 'string' } },
  run: async (app, a) => {
    const actor = await actorFor(app, need(a, 'tenant'));
    const username = need(a, 'subscriber');
    const [sub] = await app.db
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(and(eq(subscribers.tenantId, actor.tenantId), eq(subscribers.username, username)));
    if (!sub) throw notFound('SUBSCRIBER.NOT_FOUND', `No subscriber "${username}"`);
    const number = text(a, 'invoice');
    let invoiceId: string | null = null;
    if (number) {
      const [inv] = await app.db
        .select({ id: invoices.id })
        .from(invoices)
        .where(and(eq(invoices.tenantId, actor.tenantId), eq(invoices.displayNumber, number)));
      if (!inv) throw notFound('INVOICE.NOT_FOUND', `No invoice "${number}"`);
      invoiceId = inv.id;
    }
    return createPayLink(paymentDepsOf(app), actor, { subscriberId: sub.id, invoiceId });
  },
  describe: (r) => `Pay link (shown once): ${(r as { url: string }).url}`,
};

export const planPayLinkCommand: Command = {
  summary: 'Create a "buy plan" pay link: one voucher code of the plan, for a hotspot customer (shown once)',
  usage: '--tenant S --plan NAME [--mac AA:BB:CC:DD:EE:FF] [--ip 10.5.50.2]',
  options: {
    tenant: { type: 'string' },
    plan: { type: 'string' },
    mac: { type: 'string' },
    ip: { type: 'string' },
  },
  run: async (app, a) => {
    const actor = await actorFor(app, need(a, 'tenant'));
    const name = need(a, 'plan');
    const [plan] = await app.db
      .select({ id: plans.id })
      .from(plans)
      .where(and(eq(plans.tenantId, actor.tenantId), eq(plans.name, name)));
    if (!plan) throw notFound('PLAN.NOT_FOUND', `No plan "${name}"`);
    const mac = text(a, 'mac');
    const ip = text(a, 'ip');
    return app.db.transaction((tx) =>
      createPlanPayLink(
        app,
        tx,
        { tenantId: actor.tenantId, planId: plan.id, ...(mac && { mac }), ...(ip && { ip }) },
        actor,
      ),
    );
  },
  describe: (r) => `Pay link (shown once): ${(r as { url: string }).url}`,
};
