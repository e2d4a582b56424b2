import { can } from '@kasi/domain';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends, parent }) => {
  depends('app:agents');
  const { session } = await parent();
  // Viewers may read cash but not manage agents: they get the money columns only.
  const manage = can(session.role, 'agent.manage');
  // One HTTP request (httpBatchLink).
  const [agents, accounts, devices, conflicts] = await Promise.all([
    api.cash.outstanding.query(),
    manage ? api.agent.list.query() : [],
    manage ? api.agent.devices.query({}) : [],
    api.sync.conflicts.query({ state: 'open', limit: 100 }),
  ]).catch(failLoad);
  return { agents, accounts, devices, openConflicts: conflicts.length, manage };
};
