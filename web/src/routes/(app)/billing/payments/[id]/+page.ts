import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, depends }) => {
  depends('app:payment');
  const payment = await api.gateway.payment.query({ id: params.id }).catch(failLoad);
  return { payment };
};
