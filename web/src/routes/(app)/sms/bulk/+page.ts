import { can } from '@kasi/domain';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends, parent }) => {
  depends('app:sms-bulk');
  const { session } = await parent();
  const [bulks, plans, routers] = await Promise.all([
    api.sms.bulks.query(),
    api.plan.list.query(),
    can(session.role, 'router.read') ? api.router.list.query() : Promise.resolve([]),
  ]).catch(failLoad);
  return {
    bulks,
    plans: plans.filter((p) => p.audience !== 'voucher'),
    routers,
    write: can(session.role, 'subscriber.write'),
    approve: can(session.role, 'change.approve'),
  };
};
