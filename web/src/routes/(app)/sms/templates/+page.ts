import { can } from '@kasi/domain';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends, parent }) => {
  depends('app:sms-templates');
  const { session } = await parent();
  const templates = await api.sms.templates.query().catch(failLoad);
  return { templates, manage: can(session.role, 'tenant.manage') };
};
