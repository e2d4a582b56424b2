import { api } from '#lib/api.ts';
import { failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

const STATUSES = ['draft', 'open', 'partially_paid', 'paid', 'void'] as const;
type Status = (typeof STATUSES)[number];

export const load: PageLoad = async ({ url, depends }) => {
  depends('app:invoices');
  const wanted = url.searchParams.get('status');
  const status = STATUSES.find((s) => s === wanted) as Status | undefined;
  const invoices = await api.invoice.list.query(status ? { status } : {}).catch(failLoad);
  return { invoices, status: status ?? '' };
};
