import { api } from '#lib/api.ts';
import { describeError, failLoad } from '#lib/errors.ts';
import { SALES_BY, type SalesBy } from '#lib/sales-report.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends }) => {
  depends('app:reports');
  const fromDay = url.searchParams.get('from') || undefined;
  const toDay = url.searchParams.get('to') || undefined;
  const byParam = url.searchParams.get('by') as SalesBy | null;
  const by: SalesBy = byParam && SALES_BY.includes(byParam) ? byParam : 'channel';
  // A wrong range is the person's to fix on this page, not an error page.
  const { report, problem } = await api.report.sales.query({ fromDay, toDay }).then(
    (r) => ({ report: r, problem: null }),
    (e: unknown) => {
      const ui = describeError(e);
      if (ui.status !== 400) return failLoad(e);
      return { report: null, problem: ui };
    },
  );
  return { report, problem, by, fromDay: fromDay ?? '', toDay: toDay ?? '' };
};
