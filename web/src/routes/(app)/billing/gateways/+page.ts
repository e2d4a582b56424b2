import { can } from '@kasi/domain';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends, parent }) => {
  depends('app:gateways');
  const { session } = await parent();
  // Credentials are the tenant's: only those who manage it set, test or switch them.
  const manage = can(session.role, 'tenant.manage');
  const gateways = await api.gateway.list.query().catch(failLoad);
  return { gateways, manage };
};
