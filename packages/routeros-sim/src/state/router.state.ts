// The emulated router's configuration and live data: one TableStore per table menu, one row
// per singleton, and change notifications that drive `listen`. Tests read and change it
// directly; the API layer validates input first and then calls the same methods.
import { findMenu, MENUS } from './menu.catalog.ts';
import type { FieldContext, LiveContext, Menu, Row, SingletonMenu, TableMenu } from './menu.schema.ts';
import { TrapError } from './router.errors.ts';
import type { HotspotAuthenticator } from '../api/hotspot-login.handler.ts';
import { SafeMode, type UndoStep } from './safe-mode.ts';
import { TableStore } from './table.store.ts';
import { formatDateTime } from './value.format.ts';
import type { RouterOsVersion, VersionProfile } from './version.profile.ts';
import { versionProfile } from './version.profile.ts';

export interface StateChange {
  readonly path: string;
  readonly row: Row;
  /** True when the row was removed (listen reports it with `.dead`). */
  readonly dead: boolean;
}

export interface RouterStateOptions {
  version: RouterOsVersion;
  /** Clock source (ms since epoch); tests pass a fake one to control uptime and dates. */
  now?: () => number;
}

export interface WriteOptions {
  /** Do not notify listeners (counters that RouterOS does not report through listen). */
  silent?: boolean;
  /**
   * A configuration change made by a login session: it goes into RouterOS's history, so safe
   * mode can undo it. Live data (sessions, counters) and test set-up leave this off.
   */
  history?: boolean;
}

export class RouterState {
  readonly profile: VersionProfile;
  readonly startedAt: number;
  readonly #now: () => number;
  readonly #tables = new Map<string, TableStore>();
  readonly #singletons = new Map<string, Row>();
  readonly #listeners = new Set<(change: StateChange) => void>();
  /** Who holds safe mode and what it would undo (see safe-mode.ts). */
  readonly safeMode = new SafeMode((steps) => this.#undoAll(steps));
  /** How `/ip/hotspot/active/login` checks credentials; unset: the local /ip/hotspot/user table. */
  hotspotAuthenticator: HotspotAuthenticator | undefined;

  constructor(options: RouterStateOptions) {
    this.profile = versionProfile(options.version);
    this.#now = options.now ?? Date.now;
    this.startedAt = this.#now();
    for (const menu of MENUS.values()) {
      if (menu.kind === 'table') this.#tables.set(menu.path, new TableStore(menu));
      else this.#singletons.set(menu.path, withDefaults(menu, {}, this.fieldContext()));
    }
  }

  now(): number {
    return this.#now();
  }

  fieldContext(): FieldContext {
    return {
      now: () => this.#now(),
      formatDateTime: (ms) => formatDateTime(ms, { iso: this.profile.isoDates }),
    };
  }

  menu(path: string): Menu | undefined {
    return findMenu(path);
  }

  table(path: string): TableStore {
    const store = this.#tables.get(path);
    if (!store) throw new Error(`${path} is not a table menu of the emulator`);
    return store;
  }

  /** A snapshot of a table's rows in id order. */
  rows(path: string): Row[] {
    return [...this.table(path).rows()];
  }

  add(path: string, values: Row, options: WriteOptions = {}): Row {
    const store = this.table(path);
    const row = store.insert(finish(store.menu, withDefaults(store.menu, values, this.fieldContext())));
    this.#remember(options, { kind: 'remove', path, id: row['.id'] ?? '' });
    this.#emit({ path, row, dead: false }, options);
    return row;
  }

  /** Merges `changes` into the row; `unset` names properties reset to their default (or removed). */
  update(path: string, id: string, changes: Row, options: WriteOptions & { unset?: string[] } = {}): Row {
    const store = this.table(path);
    const old = store.get(id);
    if (!old) throw new TrapError('no such item (4)');
    const merged: Row = { ...old, ...changes };
    delete merged['.id'];
    for (const name of options.unset ?? []) resetField(store.menu, merged, name, this.fieldContext());
    const row = store.replace(id, finish(store.menu, merged));
    this.#remember(options, { kind: 'restore', path, row: old });
    this.#emit({ path, row, dead: false }, options);
    return row;
  }

  remove(path: string, id: string, options: WriteOptions = {}): Row {
    const row = this.table(path).delete(id);
    if (!row) throw new TrapError('no such item (4)');
    this.#remember(options, { kind: 'restore', path, row });
    this.#emit({ path, row, dead: true }, options);
    return row;
  }

  /** Current values of a singleton, live fields (uptime, clock) included. */
  singleton(path: string): Row {
    const menu = findMenu(path);
    const stored = this.#singletons.get(path);
    if (!stored || menu?.kind !== 'singleton') throw new Error(`${path} is not a singleton menu`);
    return finish(menu, { ...stored, ...(menu.live?.(this.#liveContext()) ?? {}) });
  }

  setSingleton(path: string, changes: Row, options: WriteOptions & { unset?: string[] } = {}): Row {
    const menu = findMenu(path);
    const stored = this.#singletons.get(path);
    if (!stored || menu?.kind !== 'singleton') throw new Error(`${path} is not a singleton menu`);
    const next = { ...stored, ...changes };
    for (const name of options.unset ?? []) resetField(menu, next, name, this.fieldContext());
    this.#singletons.set(path, next);
    this.#remember(options, { kind: 'singleton', path, row: stored });
    const row = this.singleton(path);
    this.#emit({ path, row, dead: false }, options);
    return row;
  }

  subscribe(listener: (change: StateChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #remember(options: WriteOptions, step: UndoStep): void {
    if (options.history) this.safeMode.record(step);
  }

  /** Safe mode's undo: puts rows back as they were (same ids), in the order given. */
  #undoAll(steps: readonly UndoStep[]): void {
    for (const step of steps) {
      try {
        this.#undo(step);
      } catch {
        // A step that no longer applies (its row was changed outside history) is skipped; the
        // rest are still undone, and this runs inside a socket 'close' handler that must not throw.
      }
    }
  }

  #undo(step: UndoStep): void {
    if (step.kind === 'remove') {
      if (this.table(step.path).get(step.id)) this.remove(step.path, step.id);
      return;
    }
    if (step.kind === 'singleton') this.#singletons.set(step.path, step.row);
    const row =
      step.kind === 'singleton' ? this.singleton(step.path) : this.table(step.path).restore(step.row);
    this.#emit({ path: step.path, row, dead: false }, {});
  }

  #emit(change: StateChange, options: WriteOptions): void {
    if (options.silent) return;
    for (const listener of [...this.#listeners]) listener(change);
  }

  #liveContext(): LiveContext {
    return {
      ...this.fieldContext(),
      startedAt: this.startedAt,
      isoDates: this.profile.isoDates,
      versionString: this.profile.versionString,
      buildTime: this.profile.buildTime,
    };
  }
}

function defaultOf(menu: Menu, name: string, ctx: FieldContext): string | undefined {
  const spec = menu.fields[name]?.default;
  return typeof spec === 'function' ? spec(ctx) : spec;
}

/** Values in the menu's field order, defaults filled; unknown extra keys kept at the end. */
function withDefaults(menu: Menu, values: Row, ctx: FieldContext): Row {
  const row: Row = {};
  for (const name of Object.keys(menu.fields)) {
    const value = values[name] ?? defaultOf(menu, name, ctx);
    if (value !== undefined) row[name] = value;
  }
  for (const [name, value] of Object.entries(values)) if (!(name in row)) row[name] = value;
  return row;
}

function resetField(menu: Menu, row: Row, name: string, ctx: FieldContext): void {
  const value = defaultOf(menu, name, ctx);
  if (value === undefined) delete row[name];
  else row[name] = value;
}

/** Re-orders by schema and applies derived fields. */
function finish(menu: TableMenu | SingletonMenu, input: Row): Row {
  const row = menu.kind === 'table' && menu.derive ? menu.derive(input) : input;
  const ordered: Row = {};
  for (const name of Object.keys(menu.fields)) if (row[name] !== undefined) ordered[name] = row[name];
  for (const [name, value] of Object.entries(row)) if (!(name in ordered)) ordered[name] = value;
  return ordered;
}

/** Bulk rows for load tests (e.g. a 10,000-row print); returns the new ids in order. */
export function addRows(state: RouterState, path: string, count: number, make: (i: number) => Row): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(state.add(path, make(i), { silent: true })['.id'] ?? '');
  return ids;
}
