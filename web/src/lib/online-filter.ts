// The online list's filters live in the address (?nas=&kind=&q=), so a filtered list can be
// bookmarked, paged and downloaded as CSV with the same filter.
export const ONLINE_KINDS = ['voucher', 'subscriber', 'other'] as const;
export type OnlineKind = (typeof ONLINE_KINDS)[number];

export interface OnlineFilter {
  nasId?: string;
  kind?: OnlineKind;
  q?: string;
}

export function onlineFilter(params: URLSearchParams): OnlineFilter {
  const kind = params.get('kind') as OnlineKind | null;
  return {
    ...(params.get('nas') ? { nasId: params.get('nas') ?? '' } : {}),
    ...(kind && ONLINE_KINDS.includes(kind) ? { kind } : {}),
    ...(params.get('q')?.trim() ? { q: params.get('q')?.trim() ?? '' } : {}),
  };
}

/** The page's address for a filter (`before`: the next page), or the CSV's (`csv`: true). */
export function onlineHref(
  path: string,
  f: OnlineFilter,
  o: { before?: bigint; csv?: boolean } = {},
): string {
  const p = new URLSearchParams();
  if (f.nasId) p.set(o.csv ? 'nasId' : 'nas', f.nasId);
  if (f.kind) p.set('kind', f.kind);
  if (f.q) p.set('q', f.q);
  if (o.before !== undefined) p.set('before', String(o.before));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}
