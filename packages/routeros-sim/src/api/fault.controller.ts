// Faults a test can switch on at runtime to see how a client copes: slow or silent commands,
// odd TCP segmentation, connections dropped mid-reply, `!fatal`, and a failing Nth write.
import { TrapError } from '../state/router.errors.ts';

export type WriteMode = 'normal' | 'byte-by-byte' | 'coalesced';

/** A command word such as '/ip/hotspot/active/print': exact string, pattern or predicate. */
export type CommandMatcher = string | RegExp | ((command: string) => boolean);

export interface FaultSettings {
  /** Wait this long before handling a command (matching `delayMatch`, or every command). */
  delayMs?: number;
  delayMatch?: CommandMatcher;
  /** Matching commands are never answered, so the client has to time out. */
  silence?: CommandMatcher;
  /** How reply bytes reach the socket: one write per sentence, one byte per write, or batched. */
  writeMode?: WriteMode;
  /** Close the connection right after this many reply sentences of a matching command. */
  dropAfterSentences?: { count: number; match?: CommandMatcher };
  /** Answer a matching command with `!fatal <message>` and close. */
  fatalOn?: { message: string; match?: CommandMatcher };
  /** The nth write command from now (1 = the next) fails with this trap and changes nothing. */
  failNthWrite?: { nth: number; message?: string; category?: number };
  /** Where `.tag=` sits in reply sentences; RouterOS documents it last, clients must accept both. */
  tagPosition?: 'first' | 'last';
}

export function matches(matcher: CommandMatcher | undefined, command: string): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return matcher === command;
  if (matcher instanceof RegExp) return matcher.test(command);
  return matcher(command);
}

export class FaultController {
  #settings: FaultSettings = {};
  #writesSeen = 0;

  get settings(): Readonly<FaultSettings> {
    return this.#settings;
  }

  /** Merges `changes` into the active faults; a key set to undefined switches that fault off. */
  set(changes: FaultSettings): void {
    this.#settings = { ...this.#settings, ...changes };
    if ('failNthWrite' in changes) this.#writesSeen = 0;
  }

  reset(): void {
    this.#settings = {};
    this.#writesSeen = 0;
  }

  delayFor(command: string): number {
    const { delayMs, delayMatch } = this.#settings;
    return delayMs && matches(delayMatch, command) ? delayMs : 0;
  }

  isSilenced(command: string): boolean {
    return this.#settings.silence !== undefined && matches(this.#settings.silence, command);
  }

  dropLimit(command: string): number | undefined {
    const drop = this.#settings.dropAfterSentences;
    return drop && matches(drop.match, command) ? drop.count : undefined;
  }

  fatalFor(command: string): string | undefined {
    const fatal = this.#settings.fatalOn;
    return fatal && matches(fatal.match, command) ? fatal.message : undefined;
  }

  writeMode(): WriteMode {
    return this.#settings.writeMode ?? 'normal';
  }

  tagPosition(): 'first' | 'last' {
    return this.#settings.tagPosition ?? 'last';
  }

  /** Counts one write command; returns the injected trap when it is the nth (then disarms). */
  takeWriteFailure(): TrapError | undefined {
    const fail = this.#settings.failNthWrite;
    if (!fail) return undefined;
    this.#writesSeen += 1;
    if (this.#writesSeen < fail.nth) return undefined;
    this.#settings = { ...this.#settings, failNthWrite: undefined };
    return new TrapError(fail.message ?? 'failure: injected fault', fail.category);
  }
}
