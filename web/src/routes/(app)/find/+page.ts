import { api } from '#lib/api.ts';
import { describeError, failLoad } from '#lib/errors.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url }) => {
  const q = url.searchParams.get('q')?.trim() ?? '';
  if (q.length < 2) return { q, found: null, problem: null };
  // A query the server refuses (too long) is the person's to fix here, not an error page.
  return api.search.find.query({ q }).then(
    (found) => ({ q, found, problem: null }),
    (e: unknown) => {
      const ui = describeError(e);
      if (ui.status !== 400) return failLoad(e);
      return { q, found: null, problem: ui.message };
    },
  );
};
