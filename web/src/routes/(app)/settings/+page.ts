import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:tenant-settings');
  const settings = await api.settings.tenant.query().catch(failLoad);
  return { settings };
};
