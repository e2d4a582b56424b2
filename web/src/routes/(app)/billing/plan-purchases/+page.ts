// Codes customers bought online: the filters (refund status, code) live in the address, so a
// reload or a shared link shows the same purchases.
import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import { PLAN_PURCHASE_STATUS_VALUES } from '#lib/components/payments/payment-labels.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends }) => {
  depends('app:plan-purchases');
  const q = url.searchParams;
  const fields = { status: q.get('status') ?? '', code: q.get('code')?.trim() ?? '' };
  const status = PLAN_PURCHASE_STATUS_VALUES.find((s) => s === fields.status);
  const rows = await api.gateway.planPurchases
    .query({ status, code: fields.code || undefined })
    .catch(failLoad);
  return { rows, fields };
};
