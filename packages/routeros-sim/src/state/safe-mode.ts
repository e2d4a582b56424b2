// RouterOS safe mode as the manual describes it (help.mikrotik.com, Console → Safe Mode): one
// session holds it for the whole router; every configuration change made while it is held, by
// any session, is kept as an undo step; if the holder's session ends without releasing, all of
// them are undone, newest first. History keeps at most 100 actions: one more and the holder
// is silently put out of safe mode with nothing undone.

import type { Row } from './menu.schema.ts';

/** How one change is undone: drop a row that was added, put back a row or a singleton as it was. */
export type UndoStep =
  | { readonly kind: 'remove'; readonly path: string; readonly id: string }
  | { readonly kind: 'restore'; readonly path: string; readonly row: Row }
  | { readonly kind: 'singleton'; readonly path: string; readonly row: Row };

/** "currently history keeps up to 100 most recent actions" (RouterOS manual, Safe Mode). */
export const SAFE_MODE_HISTORY_LIMIT = 100;

export type TakeResult = 'taken' | 'already-held' | 'held-elsewhere';

export class SafeMode {
  readonly #undo: (steps: readonly UndoStep[]) => void;
  readonly #limit: number;
  #holder: object | undefined;
  #steps: UndoStep[] = [];

  /** `undo` applies steps in the order given (newest first) without recording them. */
  constructor(undo: (steps: readonly UndoStep[]) => void, limit = SAFE_MODE_HISTORY_LIMIT) {
    this.#undo = undo;
    this.#limit = limit;
  }

  /** True while some session holds safe mode. */
  get held(): boolean {
    return this.#holder !== undefined;
  }

  /** Changes that a lost session would undo right now. */
  get pending(): number {
    return this.#steps.length;
  }

  isHeldBy(holder: object): boolean {
    return this.#holder === holder;
  }

  take(holder: object): TakeResult {
    if (this.#holder === holder) return 'already-held';
    if (this.#holder !== undefined) return 'held-elsewhere';
    this.#holder = holder;
    this.#steps = [];
    return 'taken';
  }

  /** Keeps the changes and leaves safe mode; false when `holder` did not hold it. */
  release(holder: object): boolean {
    if (this.#holder !== holder) return false;
    this.#clear();
    return true;
  }

  /** Undoes every change made since take and leaves safe mode; false when not the holder. */
  unroll(holder: object): boolean {
    if (this.#holder !== holder) return false;
    const steps = this.#steps.reverse();
    this.#clear();
    this.#undo(steps);
    return true;
  }

  /** A session ended without /quit: if it held safe mode, the router undoes its changes. */
  sessionEnded(holder: object): void {
    this.unroll(holder);
  }

  /** Called for every configuration change; only kept while safe mode is held. */
  record(step: UndoStep): void {
    if (this.#holder === undefined) return;
    this.#steps.push(step);
    if (this.#steps.length > this.#limit) this.#clear();
  }

  #clear(): void {
    this.#holder = undefined;
    this.#steps = [];
  }
}
