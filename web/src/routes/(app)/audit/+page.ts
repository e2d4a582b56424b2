import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:audit');
  return { check: await api.audit.verify.query().catch(failLoad) };
};
