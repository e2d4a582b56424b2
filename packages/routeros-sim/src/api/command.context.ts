// What a menu command handler gets: the parsed request, its menu, the state, and hooks to
// finish the command or to clean up when it is cancelled or the connection goes away.
import type { Menu } from '../state/menu.schema.ts';
import type { RouterState } from '../state/router.state.ts';
import type { CommandReply } from './command.reply.ts';
import type { ApiRequest } from './command.request.ts';
import type { FaultController } from './fault.controller.ts';

export interface CommandContext {
  readonly state: RouterState;
  readonly faults: FaultController;
  readonly menu: Menu;
  readonly request: ApiRequest;
  readonly reply: CommandReply;
  /** Runs when the command is cancelled or its connection closes. */
  onStop(cleanup: () => void): void;
  isStopped(): boolean;
  /** Sends `!done` (with `=ret=` when given) and forgets the command. */
  done(ret?: string): void;
}

export type CommandHandler = (ctx: CommandContext) => void;
