import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends }) => {
  depends('app:subscriber');
  const id = params.id;
  // One HTTP request (batched); the usage chart's library loads on the page itself.
  const [account, sessions, usage, timeline] = await Promise.all([
    api.subscriber.get.query({ id }),
    api.subscriber.sessions.query({ id }),
    api.subscriber.usage.query({ id }),
    api.subscriber.timeline.query({ id }),
  ]).catch(failLoad);
  return { account, sessions, usage, timeline };
};
