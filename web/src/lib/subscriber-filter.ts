// The subscriber list's search and filters live in the address (shareable, Back works):
// ?q=&status=&plan=&router=&tag=&billing=overdue|current&page=. Unknown or malformed values are ignored.
import { subscriberFilter, type SubscriberFilter } from '@kasi/domain';

export const PAGE_SIZE = 50;

export interface FilterState {
  query: SubscriberFilter;
  offset: number;
  page: number;
  /** The form's text, as typed. */
  text: { q: string; status: string; plan: string; router: string; tag: string; billing: string };
}

export function filterFromUrl(url: URL): FilterState {
  const p = url.searchParams;
  const text = {
    q: p.get('q') ?? '',
    status: p.get('status') ?? '',
    plan: p.get('plan') ?? '',
    router: p.get('router') ?? '',
    tag: p.get('tag') ?? '',
    billing: p.get('billing') ?? '',
  };
  const candidate = {
    search: text.q || undefined,
    status: text.status || undefined,
    planId: text.plan || undefined,
    nasId: text.router || undefined,
    tag: text.tag || undefined,
    overdue: text.billing === 'overdue' ? true : text.billing === 'current' ? false : undefined,
  };
  // Each filter on its own: one bad value drops only itself.
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(candidate)) {
    if (value === undefined) continue;
    const one = subscriberFilter.safeParse({ [key]: value });
    if (one.success) Object.assign(query, one.data);
  }
  const page = Math.max(1, Number.parseInt(p.get('page') ?? '1', 10) || 1);
  return { query: query as SubscriberFilter, offset: (page - 1) * PAGE_SIZE, page, text };
}

/** The address for these filters (empty ones left out) and page. */
export function filterHref(path: string, text: FilterState['text'], page = 1): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(text)) if (v.trim()) p.set(k, v.trim());
  if (page > 1) p.set('page', String(page));
  const qs = p.toString();
  return qs ? `${path}?${qs}` : path;
}
