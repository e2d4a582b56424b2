import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends }) => {
  depends('app:voucher-code');
  return { voucher: await api.voucher.byCode.query({ code: params.code }).catch(failLoad) };
};
