// Argument helpers shared by the handlers: allowed-argument checks, `.proplist`, and turning
// `=.id=` / `=numbers=` (ids or names, comma-separated) into row ids.
import type { Row } from '../state/menu.schema.ts';
import { noSuchItem, unknownParameter } from '../state/router.errors.ts';
import type { TableStore } from '../state/table.store.ts';
import type { ApiRequest } from './command.request.ts';

export function assertOnlyArgs(request: ApiRequest, allowed: ReadonlySet<string>): void {
  for (const name of request.attributes.keys()) if (!allowed.has(name)) throw unknownParameter();
}

/** Attributes other than the listed control ones, as a row of values. */
export function fieldArgs(request: ApiRequest, control: ReadonlySet<string>): Row {
  const out: Row = {};
  for (const [name, value] of request.attributes) if (!control.has(name)) out[name] = value;
  return out;
}

export function proplist(request: ApiRequest): ReadonlySet<string> | undefined {
  const list = request.attributes.get('.proplist');
  return list === undefined ? undefined : new Set(list.split(',').map((p) => p.trim()));
}

/** Keeps only the requested properties; RouterOS omits the missing ones (so `!re` may be empty). */
export function project(row: Row, props: ReadonlySet<string> | undefined): Row {
  if (!props) return row;
  const out: Row = {};
  for (const [name, value] of Object.entries(row)) if (props.has(name)) out[name] = value;
  return out;
}

export const ITEM_ARGS: ReadonlySet<string> = new Set(['.id', 'numbers']);

export function itemSpec(request: ApiRequest): string | undefined {
  return (
    request.attributes.get('.id') ?? request.attributes.get('numbers') ?? request.attributes.get('number')
  );
}

export function resolveIds(store: TableStore, spec: string | undefined): string[] {
  if (spec === undefined || spec.trim() === '') throw noSuchItem();
  return spec.split(',').map((part) => {
    const item = part.trim();
    const id = /^\*[0-9a-f]+$/i.test(item) ? `*${item.slice(1).toUpperCase()}` : undefined;
    if (id !== undefined && store.get(id)) return id;
    const named = store.findByName(item)?.['.id'];
    if (named === undefined) throw noSuchItem();
    return named;
  });
}
