// RouterOS's own error texts. Clients match on these strings, so they are kept verbatim in
// one place; the API layer turns a TrapError into `!trap` (+ `=category=` when RouterOS sends one).

export class TrapError extends Error {
  readonly category: number | undefined;
  constructor(message: string, category?: number) {
    super(message);
    this.name = 'TrapError';
    this.category = category;
  }
}

/** Trap categories as the API documents them. */
export const TRAP_CATEGORY = {
  missingItemOrCommand: 0,
  argumentValue: 1,
  interrupted: 2,
  scripting: 3,
  general: 4,
  api: 5,
} as const;

export const MESSAGES = {
  badCredentials: 'invalid user name or password (6)',
  notAllowed: 'not allowed (9)',
  notEnoughPermissions: 'not enough permissions (9)',
  notLoggedIn: 'not logged in',
  noSuchCommand: 'no such command',
  noSuchCommandPrefix: 'no such command prefix',
  unknownParameter: 'unknown parameter',
  noSuchItem: 'no such item (4)',
  interrupted: 'interrupted',
  sessionTerminated: 'session terminated on request',
  alreadyHaveSuchName: 'failure: already have such name',
  // Not documented for the API (the console asks "Hijacking Safe Mode from someone -
  // unroll/release/don't take it [u/r/d]"); the emulator's own wording for a refused take.
  safeModeHeldElsewhere: 'failure: safe mode is held by another session',
} as const;

export function noSuchItem(): TrapError {
  return new TrapError(MESSAGES.noSuchItem);
}

export function unknownParameter(): TrapError {
  return new TrapError(MESSAGES.unknownParameter);
}

/** "input does not match any value of profile" — a reference to a row that does not exist. */
export function noMatchingValue(field: string): TrapError {
  return new TrapError(`input does not match any value of ${field}`, TRAP_CATEGORY.argumentValue);
}

export function invalidValue(field: string): TrapError {
  return new TrapError(`invalid value for argument ${field}`, TRAP_CATEGORY.argumentValue);
}
