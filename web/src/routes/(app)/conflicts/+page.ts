import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends }) => {
  depends('app:conflicts');
  const state = url.searchParams.get('state') === 'resolved' ? 'resolved' : 'open';
  const [rows, open] = await Promise.all([
    api.sync.conflicts.query({ state, limit: 100 }),
    state === 'open' ? null : api.sync.conflicts.query({ state: 'open', limit: 100 }),
  ]).catch(failLoad);
  return { state, rows, openCount: (open ?? rows).length };
};
