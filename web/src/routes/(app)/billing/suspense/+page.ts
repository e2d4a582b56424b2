import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:suspense');
  const items = await api.gateway.suspense.query().catch(failLoad);
  return { items };
};
