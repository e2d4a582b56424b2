import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:billing-settings');
  const [settings, policy] = await Promise.all([
    api.billing.settings.query(),
    api.billing.dunningPolicy.query(),
  ]).catch(failLoad);
  return { settings, policy };
};
