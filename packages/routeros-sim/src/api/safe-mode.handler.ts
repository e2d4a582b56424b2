// `/safe-mode/take`, `release`, `unroll` and `toggle` on profiles whose API has the menu
// (7.18+). Safe mode belongs to the session that took it: the session ending any way other
// than /quit undoes its changes (api.session.ts calls `sessionEnded`).
import type { RouterState } from '../state/router.state.ts';
import { MESSAGES, TRAP_CATEGORY, TrapError } from '../state/router.errors.ts';
import { assertOnlyArgs } from './command.args.ts';
import type { ApiRequest } from './command.request.ts';
import type { ApiUser } from './user.directory.ts';

// `take` has an `on-error` argument in RouterOS's command tree; what it does is not
// documented, so it is accepted and ignored.
const TAKE_ARGS: ReadonlySet<string> = new Set(['on-error']);
const NO_ARGS: ReadonlySet<string> = new Set();

export interface SafeModeCommand {
  readonly request: ApiRequest;
  readonly state: RouterState;
  readonly user: ApiUser;
  /** The API session running the command (the holder). */
  readonly session: object;
}

export function isSafeModeCommand(request: ApiRequest, state: RouterState): boolean {
  return state.profile.safeMode && request.menuPath === '/safe-mode';
}

/** Runs the command or throws the trap to send; `print` and `get` are not modelled. */
export function runSafeModeCommand({ request, state, user, session }: SafeModeCommand): void {
  const verb = request.verb;
  if (!['take', 'release', 'unroll', 'toggle'].includes(verb))
    throw new TrapError(MESSAGES.noSuchCommand, TRAP_CATEGORY.missingItemOrCommand);
  if (!user.policies.has('write')) throw new TrapError(MESSAGES.notEnoughPermissions);
  assertOnlyArgs(request, verb === 'take' ? TAKE_ARGS : NO_ARGS);
  const { safeMode } = state;
  if (verb === 'take' || (verb === 'toggle' && !safeMode.isHeldBy(session))) {
    if (safeMode.take(session) === 'held-elsewhere') throw new TrapError(MESSAGES.safeModeHeldElsewhere);
    return;
  }
  // Releasing or unrolling safe mode this session does not hold changes nothing.
  if (verb === 'unroll') safeMode.unroll(session);
  else safeMode.release(session);
}
