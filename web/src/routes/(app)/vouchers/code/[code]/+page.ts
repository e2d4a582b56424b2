import { can } from '@kasi/domain';
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends, parent }) => {
  depends('app:voucher-code');
  const [voucher, { session }] = await Promise.all([
    api.voucher.byCode.query({ code: params.code }).catch(failLoad),
    parent(),
  ]);
  // A code sold through a pay link: the purchase that bought it, and its refunds.
  const purchase =
    voucher.channel === 'online' && can(session.role, 'billing.read')
      ? await api.gateway.planPurchase.query({ voucherId: voucher.id }).catch(failLoad)
      : null;
  return { voucher, purchase };
};
