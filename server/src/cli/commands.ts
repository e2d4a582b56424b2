// The CLI's commands. Each resolves the tenant, builds a CLI actor and calls a service.
import { eq } from 'drizzle-orm';
import { forEachTenant, tenants, vouchers } from '@kasi/db';
import { isRole, notFound, invalid, parseMoney, parseRate, type PlanInput } from '@kasi/domain';
import { formatMoney } from '@kasi/domain';
import type { Actor, AppContext } from '../app-context.ts';
import { addMember, createTenant, updateTenantSettings } from '../tenants/tenant.service.ts';
import { createNas } from '../nas/nas.service.ts';
import { createPlan } from '../plans/plan.service.ts';
import { createVoucherBatch } from '../vouchers/voucher.service.ts';
import { SUBSCRIBER_COMMANDS } from '../subscribers/subscriber.commands.ts';
import { createAgent } from '../agents/agent.service.ts';
import { approveDevice, listDevices, retireDevice } from '../agents/device.service.ts';
import { leaseVouchers } from '../agents/lease.service.ts';
import { setRouterAllowedCidrs } from '../routers/router-allowed-cidrs.service.ts';
import { outstandingByAgent, recordHandover } from '../cash/ledger.service.ts';
import { auditVerifyCommand } from '../audit/audit-verify.command.ts';
import { billingCommands } from '../billing/billing.commands.ts';
import { billingRunCommand } from '../billing/billing-run.command.ts';
import { payLinkCommand, planPayLinkCommand } from '../payments/pay-link.command.ts';
import { resetPasswordCommand, resetTwoFactorCommand } from '../auth/reset-password.command.ts';

export type CommandArgs = Record<string, string | boolean | undefined>;
type Option = { type: 'string' | 'boolean' };

export interface Command {
  summary: string;
  usage: string;
  options: Record<string, Option>;
  run(app: AppContext, args: CommandArgs): Promise<unknown>;
  describe(result: unknown): string;
}

const str = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;

function need(args: CommandArgs, key: string): string {
  const v = args[key];
  if (typeof v !== 'string' || !v) throw invalid('CLI.MISSING_OPTION', `--${key} is required`);
  return v;
}

const optional = (args: CommandArgs, key: string) =>
  typeof args[key] === 'string' ? (args[key] as string) : undefined;

/** A security switch must not turn off because of a typo: only "true" or "false". */
function trueOrFalse(args: CommandArgs, key: string): boolean {
  const v = optional(args, key);
  if (v !== 'true' && v !== 'false') throw invalid('CLI.BAD_OPTION', `--${key} takes true or false`);
  return v === 'true';
}

async function cliActor(app: AppContext, args: CommandArgs): Promise<Actor> {
  const slug = need(args, 'tenant');
  const [t] = await app.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
  if (!t) throw notFound('TENANT.NOT_FOUND', `No tenant "${slug}"`);
  return { tenantId: t.id, userId: null, label: 'cli', role: 'owner', requestId: null };
}

const seconds = (text: string | undefined): number | null => {
  if (!text) return null;
  const m = /^(\d+)([smhd]?)$/.exec(text);
  if (!m) throw invalid('CLI.BAD_DURATION', `"${text}" is not a duration like 30m, 1h or 7d`);
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] ?? ''] ?? 1);
};

export const COMMANDS: Record<string, Command> = {
  'audit:verify': auditVerifyCommand,
  ...billingCommands,
  'billing:run': billingRunCommand,
  'pay-link:create': payLinkCommand,
  'pay-link:plan': planPayLinkCommand,
  migrate: {
    summary: 'Apply database migrations (also done at every start)',
    usage: '',
    options: {},
    run: async () => ({ migrated: true }),
    describe: () => 'Database is up to date.',
  },
  'tenant:create': {
    summary: 'Create a tenant (an ISP) with its owner',
    usage: '--slug S --name N --currency KES --owner-email E --owner-password P',
    options: { slug: str, name: str, currency: str, 'owner-email': str, 'owner-password': str },
    run: (app, a) =>
      app.db.transaction(async (tx) => {
        const t = await createTenant(tx, {
          slug: need(a, 'slug'),
          name: need(a, 'name'),
          currency: need(a, 'currency'),
        });
        const owner = await addMember(tx, {
          tenantId: t.id,
          email: need(a, 'owner-email'),
          name: need(a, 'owner-email'),
          password: need(a, 'owner-password'),
          role: 'owner',
        });
        return { tenant: t, owner };
      }),
    describe: (r) => `Created tenant ${(r as { tenant: { slug: string } }).tenant.slug}.`,
  },
  'user:add': {
    summary: 'Add a person to a tenant with a role (owner, admin, operator, agent, viewer)',
    usage: '--tenant S --email E --name N --password P --role operator',
    options: { tenant: str, email: str, name: str, password: str, role: str },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const role = need(a, 'role');
      if (!isRole(role)) throw invalid('USER.BAD_ROLE', `Unknown role "${role}"`);
      return app.db.transaction((tx) =>
        addMember(tx, {
          tenantId: actor.tenantId,
          email: need(a, 'email'),
          name: optional(a, 'name') ?? need(a, 'email'),
          password: need(a, 'password'),
          role,
        }),
      );
    },
    describe: (r) => `Added ${(r as { email: string }).email}.`,
  },
  'nas:add': {
    summary: 'Register a router as a RADIUS client (secret generated unless given)',
    usage: '--tenant S --name N --address IP [--secret X] [--coa-port 3799] [--no-message-authenticator]',
    options: {
      tenant: str,
      name: str,
      address: str,
      secret: str,
      'coa-port': str,
      'no-message-authenticator': flag,
    },
    run: async (app, a) =>
      createNas(app, await cliActor(app, a), {
        name: need(a, 'name'),
        address: need(a, 'address'),
        secret: optional(a, 'secret'),
        requireMessageAuthenticator: !a['no-message-authenticator'],
        coaPort: optional(a, 'coa-port') ? Number(optional(a, 'coa-port')) : undefined,
      }),
    describe: (r) => {
      const { nas, secret } = r as { nas: { name: string; id: string }; secret: string | null };
      return `Added router ${nas.name} (${nas.id}).${secret ? ` Shared secret (shown once): ${secret}` : ''}`;
    },
  },
  'plan:create': {
    summary: 'Create a plan',
    usage:
      '--tenant S --name N --download 10M --upload 2M --price 50.00 [--currency KES] [--validity 1h] [--time-quota 2h] [--data-quota-mb 500] [--shared-users 1]',
    options: {
      tenant: str,
      name: str,
      download: str,
      upload: str,
      price: str,
      currency: str,
      validity: str,
      'time-quota': str,
      'data-quota-mb': str,
      'shared-users': str,
    },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const [t] = await app.db
        .select({ currency: tenants.currency })
        .from(tenants)
        .where(eq(tenants.id, actor.tenantId));
      const currency = optional(a, 'currency') ?? t?.currency ?? 'USD';
      const quotaMb = optional(a, 'data-quota-mb');
      const input: PlanInput = {
        name: need(a, 'name'),
        downloadBps: parseRate(need(a, 'download')),
        uploadBps: parseRate(need(a, 'upload')),
        priceMinor: parseMoney(need(a, 'price'), currency).amountMinor,
        currency,
        validitySeconds: seconds(optional(a, 'validity')),
        timeQuotaSeconds: seconds(optional(a, 'time-quota')),
        dataQuotaBytes: quotaMb ? BigInt(quotaMb) * 1_000_000n : null,
        sharedUsers: Number(optional(a, 'shared-users') ?? 1),
      };
      return createPlan(app, actor, input);
    },
    describe: (r) =>
      `Created plan ${(r as { name: string; id: string }).name} (${(r as { id: string }).id}).`,
  },
  'vouchers:generate': {
    summary: 'Generate a batch of voucher codes for a plan',
    usage: '--tenant S --plan PLAN_ID --count 100 [--length 8] [--prefix AB] [--name N]',
    options: { tenant: str, plan: str, count: str, length: str, prefix: str, name: str },
    run: async (app, a) => {
      const batch = await createVoucherBatch(app, await cliActor(app, a), {
        planId: need(a, 'plan'),
        quantity: Number(need(a, 'count')),
        codeLength: Number(optional(a, 'length') ?? 8),
        prefix: optional(a, 'prefix') ?? '',
        name: optional(a, 'name'),
      });
      const rows = await app.db
        .select({ code: vouchers.code })
        .from(vouchers)
        .where(eq(vouchers.batchId, batch.id));
      return { batch, codes: rows.map((r) => r.code) };
    },
    describe: (r) => (r as { codes: string[] }).codes.join('\n'),
  },
  'tenant:settings': {
    summary:
      'Change tenant settings (two-person approval of router changes, accounting retention, two-factor for owners and admins)',
    usage: '--tenant S [--two-person-approval true|false] [--retention-months 12] [--require-2fa true|false]',
    options: { tenant: str, 'two-person-approval': str, 'retention-months': str, 'require-2fa': str },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      return updateTenantSettings(app, actor, {
        ...(optional(a, 'two-person-approval') !== undefined && {
          twoPersonApproval: optional(a, 'two-person-approval') === 'true',
        }),
        ...(optional(a, 'retention-months') !== undefined && {
          accountingRetentionMonths: Number(optional(a, 'retention-months')),
        }),
        ...(optional(a, 'require-2fa') !== undefined && {
          requireTwoFactorForAdmins: trueOrFalse(a, 'require-2fa'),
        }),
      });
    },
    describe: (r) => `Settings: ${JSON.stringify(r)}`,
  },
  'user:reset-password': resetPasswordCommand,
  'user:reset-2fa': resetTwoFactorCommand,
  'router:allow-cidrs': {
    summary: 'Set the address ranges the tenant’s MikroTik routers may be at ("" restores the default rule)',
    usage: '--tenant S --cidrs 10.20.0.0/16,192.168.88.0/24',
    options: { tenant: str, cidrs: str },
    run: async (app, a) => {
      const cidrs = optional(a, 'cidrs');
      if (cidrs === undefined)
        throw invalid('CLI.MISSING_OPTION', '--cidrs is required ("" for the default rule)');
      const ranges = cidrs
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      return setRouterAllowedCidrs(app, await cliActor(app, a), ranges);
    },
    describe: (r) => {
      const { routerAllowedCidrs } = r as { routerAllowedCidrs: string[] };
      return routerAllowedCidrs.length
        ? `Routers may be at: ${routerAllowedCidrs.join(', ')}.`
        : 'Routers follow the default rule (any ordinary address; not loopback, link-local or this server).';
    },
  },
  ...SUBSCRIBER_COMMANDS,
  'keys:rewrap': {
    summary: 'Re-wrap every tenant data key under the current master key (after rotation)',
    usage: 'set KASI_MASTER_KEY to the new key and KASI_MASTER_KEY_PREVIOUS to the old one',
    options: {},
    // Tenant by tenant: data keys are behind row-level security (ADR 0019).
    run: async (app) => ({
      rewrapped: (await forEachTenant(app.db, () => app.keyring.rewrapAll(app.db))).reduce(
        (a, b) => a + b,
        0,
      ),
    }),
    describe: (r) => `Re-wrapped ${(r as { rewrapped: number }).rewrapped} data keys.`,
  },
  'agent:add': {
    summary: 'Add a field agent (a login with the agent role), their credit limit and commission',
    usage: '--tenant S --email E --password P [--name N] [--limit 500.00] [--commission-bps 250]',
    options: { tenant: str, email: str, name: str, password: str, limit: str, 'commission-bps': str },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const [t] = await app.db
        .select({ currency: tenants.currency })
        .from(tenants)
        .where(eq(tenants.id, actor.tenantId));
      const limit = optional(a, 'limit');
      return createAgent(app, actor, {
        email: need(a, 'email'),
        name: optional(a, 'name') ?? need(a, 'email'),
        password: need(a, 'password'),
        creditLimitMinor: limit ? parseMoney(limit, t?.currency ?? 'USD').amountMinor : 0n,
        commissionBps: Number(optional(a, 'commission-bps') ?? 0),
      });
    },
    describe: (r) => `Added agent ${(r as { email: string }).email} (${(r as { id: string }).id}).`,
  },
  'device:list': {
    summary: 'List agents’ devices (pending ones wait for approval)',
    usage: '--tenant S [--agent AGENT_ID]',
    options: { tenant: str, agent: str },
    run: async (app, a) => listDevices(app, await cliActor(app, a), { agentId: optional(a, 'agent') }),
    describe: (r) =>
      (r as { id: string; agentName: string; label: string; status: string }[])
        .map((d) => `${d.id}  ${d.status.padEnd(8)} ${d.agentName} / ${d.label}`)
        .join('\n'),
  },
  'device:approve': {
    summary: 'Approve an agent’s enrolled device so it can take stock and sync sales',
    usage: '--tenant S --device DEVICE_ID',
    options: { tenant: str, device: str },
    run: async (app, a) => approveDevice(app, await cliActor(app, a), { deviceId: need(a, 'device') }),
    describe: (r) => `Approved device ${(r as { label: string }).label}.`,
  },
  'device:revoke': {
    summary: 'Revoke an agent’s device (or declare it lost): its unsold codes are locked in RADIUS',
    usage: '--tenant S --device DEVICE_ID [--reason R] [--lost]',
    options: { tenant: str, device: str, reason: str, lost: flag },
    run: async (app, a) =>
      retireDevice(
        app,
        await cliActor(app, a),
        { deviceId: need(a, 'device'), reason: optional(a, 'reason') ?? null },
        a.lost ? 'lost' : 'revoked',
      ),
    describe: (r) =>
      `Device is now ${(r as { device: { status: string } }).device.status}; locked ${(r as { lockedCodes: string[] }).lockedCodes.length} unsold codes.`,
  },
  'lease:create': {
    summary: 'Lease a block of a plan’s codes to an approved device, within the agent’s limit',
    usage: '--tenant S --device DEVICE_ID --plan PLAN_ID --count 50',
    options: { tenant: str, device: str, plan: str, count: str },
    run: async (app, a) =>
      leaseVouchers(app, await cliActor(app, a), {
        deviceId: need(a, 'device'),
        planId: need(a, 'plan'),
        count: Number(need(a, 'count')),
      }),
    describe: (r) => `Leased ${(r as { codes: string[] }).codes.length} codes.`,
  },
  'cash:handover': {
    summary: 'Record cash an agent handed over',
    usage: '--tenant S --agent AGENT_ID --amount 1500.00 [--note N]',
    options: { tenant: str, agent: str, amount: str, note: str },
    run: async (app, a) => {
      const actor = await cliActor(app, a);
      const [t] = await app.db
        .select({ currency: tenants.currency })
        .from(tenants)
        .where(eq(tenants.id, actor.tenantId));
      const currency = t?.currency ?? 'USD';
      return recordHandover(app, actor, {
        agentId: need(a, 'agent'),
        amountMinor: parseMoney(need(a, 'amount'), currency).amountMinor,
        currency,
        note: optional(a, 'note'),
      });
    },
    describe: (r) => {
      const { entry, totals } = r as { entry: { currency: string }; totals: { outstandingMinor: bigint } };
      return `Recorded. Still owed: ${formatMoney({ amountMinor: totals.outstandingMinor, currency: entry.currency })}.`;
    },
  },
  'cash:outstanding': {
    summary: 'What each agent owes, their unsold stock and how much more they may lease',
    usage: '--tenant S',
    options: { tenant: str },
    run: async (app, a) => outstandingByAgent(app, await cliActor(app, a)),
    describe: (r) =>
      (r as Awaited<ReturnType<typeof outstandingByAgent>>)
        .map(
          (x) =>
            `${x.agentId}  ${x.name}: owes ${formatMoney({ amountMinor: x.outstandingMinor, currency: x.currency })}, ` +
            `${x.unsoldCount} unsold (${formatMoney({ amountMinor: x.unsoldFaceMinor, currency: x.currency })})`,
        )
        .join('\n'),
  },
};
