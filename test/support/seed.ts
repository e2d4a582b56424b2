// Sets up a tenant the way an operator would on a fresh install: through the real CLI.
import type { KasiProcess } from './kasi-process.ts';

export interface Owner {
  email: string;
  password: string;
}

/** `pnpm kasi tenant:create` with its owner; slug `acme` and currency KES unless told otherwise. */
export function createTenant(
  kasi: KasiProcess,
  owner: Owner,
  o: { slug?: string; name?: string; currency?: string } = {},
) {
  return kasi.cli(
    'tenant:create',
    '--slug',
    o.slug ?? 'acme',
    '--name',
    o.name ?? 'Acme WISP',
    '--currency',
    o.currency ?? 'KES',
    '--owner-email',
    owner.email,
    '--owner-password',
    owner.password,
  );
}

/** The plan the agent tests sell: "Hour", 5M down / 1M up, 20.00, valid 1 h from first login. */
export function createHourPlan(kasi: KasiProcess, tenant = 'acme') {
  return kasi.cli<{ id: string }>(
    'plan:create',
    '--tenant',
    tenant,
    '--name',
    'Hour',
    '--download',
    '5M',
    '--upload',
    '1M',
    '--price',
    '20.00',
    '--validity',
    '1h',
  );
}

export interface AgentLogin {
  email: string;
  password: string;
  name?: string;
}

/** `pnpm kasi agent:add` for tenant `acme` unless told otherwise; `limit` in major units ("1000.00"). */
export function createAgent(kasi: KasiProcess, agent: AgentLogin, o: { limit: string; tenant?: string }) {
  return kasi.cli(
    'agent:add',
    '--tenant',
    o.tenant ?? 'acme',
    '--email',
    agent.email,
    '--password',
    agent.password,
    '--name',
    agent.name ?? 'Amina Field',
    '--limit',
    o.limit,
  );
}
