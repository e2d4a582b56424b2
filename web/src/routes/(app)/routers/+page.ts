import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends }) => {
  depends('app:routers');
  // Both lists travel in one HTTP request (httpBatchLink).
  const [routers, radiusClients] = await Promise.all([api.router.list.query(), api.nas.list.query()]).catch(
    failLoad,
  );
  return { routers, radiusClients };
};
