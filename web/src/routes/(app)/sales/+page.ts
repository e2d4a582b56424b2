import { api } from '#lib/api.ts';
import { describeError, failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends }) => {
  depends('app:sales');
  const fromDay = url.searchParams.get('from') || undefined;
  const toDay = url.searchParams.get('to') || undefined;
  // A wrong range is the person's to fix on this page, not an error page.
  const sales = api.cash.salesByDays.query({ fromDay, toDay }).then(
    (report) => ({ report, problem: null }),
    (e: unknown) => {
      const ui = describeError(e);
      // Anything but a refused range (signed out, forbidden, offline) goes to failLoad below.
      if (ui.status !== 400) throw e;
      return { report: null, problem: ui };
    },
  );
  const [{ report, problem }, agents] = await Promise.all([sales, api.cash.outstanding.query()]).catch(
    failLoad,
  );
  return { report, problem, fromDay: fromDay ?? '', toDay: toDay ?? '', agents };
};
