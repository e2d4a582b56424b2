import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:radius-settings');
  const [radius, settings] = await Promise.all([
    api.settings.radius.query(),
    api.settings.tenant.query(),
  ]).catch(failLoad);
  return { radius, settings };
};
