import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import { filterFromUrl, PAGE_SIZE } from '#lib/subscriber-filter.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends }) => {
  depends('app:subscribers');
  const filter = filterFromUrl(url);
  const [page, plans, routers] = await Promise.all([
    api.subscriber.list.query({ ...filter.query, limit: PAGE_SIZE, offset: filter.offset }),
    api.plan.list.query(),
    api.nas.list.query(),
  ]).catch(failLoad);
  return { page, plans, routers, filter };
};
