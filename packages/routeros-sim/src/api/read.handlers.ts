// print / getall / get / listen. Prints stream in batches so a 10k-row answer does not block
// other commands on the connection and can be cancelled part-way.
import type { Row } from '../state/menu.schema.ts';
import type { RowPredicate } from '../state/query.filter.ts';
import { compileQuery } from '../state/query.filter.ts';
import { unknownParameter } from '../state/router.errors.ts';
import { assertOnlyArgs, itemSpec, project, proplist, resolveIds } from './command.args.ts';
import type { CommandContext } from './command.context.ts';

const PRINT_ARGS = new Set([
  '.proplist',
  'count-only',
  'detail',
  'without-paging',
  'terse',
  'follow',
  'follow-only',
]);
const BATCH = 256;

export function handlePrint(ctx: CommandContext): void {
  const { request } = ctx;
  assertOnlyArgs(request, PRINT_ARGS);
  const match = compileQuery(request.queries);
  const props = proplist(request);
  if (request.attributes.has('follow-only')) return startListen(ctx, match, props);
  const rows = currentRows(ctx);
  if (request.attributes.has('count-only')) return ctx.done(String(rows.filter(match).length));
  streamRows(ctx, rows, match, props, (matched) => {
    if (request.attributes.has('follow')) return startListen(ctx, match, props);
    if (matched === 0 && ctx.state.profile.emptyReply) ctx.reply.empty();
    ctx.done();
  });
}

function currentRows(ctx: CommandContext): Row[] {
  const { menu, state } = ctx;
  return menu.kind === 'singleton' ? [state.singleton(menu.path)] : state.rows(menu.path);
}

function streamRows(
  ctx: CommandContext,
  rows: readonly Row[],
  match: RowPredicate,
  props: ReadonlySet<string> | undefined,
  onEnd: (matched: number) => void,
): void {
  let index = 0;
  let matched = 0;
  const pump = (): void => {
    if (ctx.isStopped()) return;
    for (const end = Math.min(rows.length, index + BATCH); index < end; index++) {
      const row = rows[index];
      if (row === undefined || !match(row)) continue;
      matched++;
      ctx.reply.re(project(row, props));
    }
    if (index < rows.length) setImmediate(pump);
    else onEnd(matched);
  };
  pump();
}

export function handleListen(ctx: CommandContext): void {
  assertOnlyArgs(ctx.request, new Set(['.proplist']));
  startListen(ctx, compileQuery(ctx.request.queries), proplist(ctx.request));
}

/** Streams `!re` for every change to the menu until cancelled; removals carry `.dead`. */
function startListen(ctx: CommandContext, match: RowPredicate, props: ReadonlySet<string> | undefined): void {
  const path = ctx.menu.path;
  const unsubscribe = ctx.state.subscribe((change) => {
    if (change.path !== path) return;
    if (change.dead) ctx.reply.re({ '.id': change.row['.id'] ?? '', '.dead': ctx.state.profile.deadFlag });
    else if (match(change.row)) ctx.reply.re(project(change.row, props));
  });
  ctx.onStop(unsubscribe);
}

/** `get =value-name=x` (tables also take `=number=` / `=.id=`) answers `!done =ret=value`. */
export function handleGet(ctx: CommandContext): void {
  const { menu, request, state } = ctx;
  assertOnlyArgs(request, new Set(['.id', 'number', 'numbers', 'value-name']));
  const name = request.attributes.get('value-name');
  if (name === undefined || (!(name in menu.fields) && name !== '.id')) throw unknownParameter();
  if (menu.kind === 'singleton') return ctx.done(state.singleton(menu.path)[name]);
  const store = state.table(menu.path);
  const [id] = resolveIds(store, itemSpec(request));
  ctx.done(id === undefined ? undefined : store.get(id)?.[name]);
}
