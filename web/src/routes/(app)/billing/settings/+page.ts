import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:billing-settings');
  const settings = await api.billing.settings.query().catch(failLoad);
  return { settings };
};
