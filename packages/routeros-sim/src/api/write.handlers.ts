// add / set / remove / enable / disable / unset. Every argument is checked before anything
// changes, so a trap leaves the router as it was (RouterOS applies a command all or nothing).
import { assertUnsettable, validateInput } from '../state/input.validator.ts';
import type { TableStore } from '../state/table.store.ts';
import { ITEM_ARGS, assertOnlyArgs, fieldArgs, itemSpec, resolveIds } from './command.args.ts';
import type { CommandContext } from './command.context.ts';

const NO_ARGS: ReadonlySet<string> = new Set();

/** The injected "fail the Nth write" fault fires here, after validation, before any change. */
function throwIfInjected(ctx: CommandContext): void {
  const trap = ctx.faults.takeWriteFailure();
  if (trap) throw trap;
}

function tableOf(ctx: CommandContext): TableStore {
  return ctx.state.table(ctx.menu.path);
}

/**
 * Configuration changes go into the router's history (and so under safe mode). Removing a live
 * session (a kick, the only write on /ip/hotspot/active and /ppp/active) is not configuration.
 */
function historyOf(ctx: CommandContext): { history: boolean } {
  // Files are not configuration either: safe mode does not bring a deleted file back.
  return { history: ctx.menu.path !== '/file' && ctx.menu.verbs.includes('set') };
}

export function handleAdd(ctx: CommandContext): void {
  const values = validateInput(ctx.state, ctx.menu, fieldArgs(ctx.request, NO_ARGS));
  throwIfInjected(ctx);
  const row = ctx.state.add(ctx.menu.path, values, historyOf(ctx));
  ctx.done(row['.id']);
}

export function handleSet(ctx: CommandContext): void {
  const { menu, request, state } = ctx;
  const values = validateInput(state, menu, fieldArgs(request, ITEM_ARGS));
  if (menu.kind === 'singleton') {
    throwIfInjected(ctx);
    state.setSingleton(menu.path, values, historyOf(ctx));
    return ctx.done();
  }
  const ids = resolveIds(tableOf(ctx), itemSpec(request));
  throwIfInjected(ctx);
  for (const id of ids) state.update(menu.path, id, values, historyOf(ctx));
  ctx.done();
}

export function handleRemove(ctx: CommandContext): void {
  assertOnlyArgs(ctx.request, ITEM_ARGS);
  const ids = resolveIds(tableOf(ctx), itemSpec(ctx.request));
  throwIfInjected(ctx);
  for (const id of ids) ctx.state.remove(ctx.menu.path, id, historyOf(ctx));
  ctx.done();
}

function setDisabled(ctx: CommandContext, disabled: boolean): void {
  assertOnlyArgs(ctx.request, ITEM_ARGS);
  const ids = resolveIds(tableOf(ctx), itemSpec(ctx.request));
  throwIfInjected(ctx);
  for (const id of ids) ctx.state.update(ctx.menu.path, id, { disabled: String(disabled) }, historyOf(ctx));
  ctx.done();
}

export function handleEnable(ctx: CommandContext): void {
  setDisabled(ctx, false);
}

export function handleDisable(ctx: CommandContext): void {
  setDisabled(ctx, true);
}

export function handleUnset(ctx: CommandContext): void {
  const { menu, request, state } = ctx;
  assertOnlyArgs(request, new Set([...ITEM_ARGS, 'value-name']));
  const name = request.attributes.get('value-name') ?? '';
  assertUnsettable(menu, name);
  if (menu.kind === 'singleton') {
    throwIfInjected(ctx);
    state.setSingleton(menu.path, {}, { unset: [name], ...historyOf(ctx) });
    return ctx.done();
  }
  const ids = resolveIds(tableOf(ctx), itemSpec(request));
  throwIfInjected(ctx);
  for (const id of ids) state.update(menu.path, id, {}, { unset: [name], ...historyOf(ctx) });
  ctx.done();
}
