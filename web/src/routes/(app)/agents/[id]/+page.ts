import { error } from '@sveltejs/kit';
import { can } from '@kasi/domain';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import { m } from '#lib/i18n/locale.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends, parent }) => {
  depends('app:agents');
  const { session } = await parent();
  const manage = can(session.role, 'agent.manage');
  // No "get one agent" procedure: picked from the lists. One HTTP request (httpBatchLink).
  const [cash, shifts, accounts, devices, leases, plans] = await Promise.all([
    api.cash.outstanding.query(),
    api.cash.shifts.query({ agentId: params.id }),
    manage ? api.agent.list.query() : [],
    manage ? api.agent.devices.query({ agentId: params.id }) : [],
    manage ? api.agent.leases.query({ agentId: params.id }) : [],
    manage ? api.plan.list.query() : [],
  ]).catch(failLoad);
  const agent = cash.find((a) => a.agentId === params.id);
  if (!agent) error(404, m.console_agents_no_agent());
  const account = accounts.find((a) => a.agent.id === params.id) ?? null;
  return { agent, account, shifts, devices, leases, plans, manage };
};
