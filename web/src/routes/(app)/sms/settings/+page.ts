import { can } from '@kasi/domain';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends, parent }) => {
  depends('app:sms-settings');
  const { session } = await parent();
  const settings = await api.sms.settings.query().catch(failLoad);
  return { settings, manage: can(session.role, 'tenant.manage') };
};
