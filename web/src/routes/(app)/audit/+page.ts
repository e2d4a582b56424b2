import { api } from '#lib/api.ts';
import { auditFilters } from '#lib/audit-view.ts';
import { describeError, failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ depends, url }) => {
  depends('app:audit');
  const filters = auditFilters(url.searchParams);
  const before = url.searchParams.get('before');
  // A filter the server refuses (a date that is not one) is fixed on this page, not an error page.
  const list = api.audit.list
    .query({ ...filters, limit: 50, before: before && /^\d+$/.test(before) ? BigInt(before) : undefined })
    .then(
      (page) => ({ page, problem: null }),
      (e: unknown) => {
        const ui = describeError(e);
        if (ui.status !== 400) throw e;
        return { page: null, problem: ui };
      },
    );
  const [check, { page, problem }] = await Promise.all([api.audit.verify.query(), list]).catch(failLoad);
  return { check, page, problem, filters };
};
