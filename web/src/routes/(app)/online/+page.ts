import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import { onlineFilter } from '#lib/online-filter.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends }) => {
  depends('app:online');
  const filters = onlineFilter(url.searchParams);
  const before = url.searchParams.get('before');
  const online = await api.session.online
    .query({ ...filters, before: before && /^\d+$/.test(before) ? BigInt(before) : undefined })
    .catch(failLoad);
  return { online, filters };
};
