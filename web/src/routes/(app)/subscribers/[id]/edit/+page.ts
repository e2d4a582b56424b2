import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  const [account, plans] = await Promise.all([
    api.subscriber.get.query({ id: params.id }),
    api.plan.list.query(),
  ]).catch(failLoad);
  return { subscriber: account.subscriber, plans };
};
