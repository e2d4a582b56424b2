// Maps a menu command (/ip/hotspot/user/print) to its handler after the checks RouterOS makes
// first: does the menu exist, does it have that verb, may this user run it.
import { findMenu, isMenuPrefix } from '../state/menu.catalog.ts';
import type { Menu, Verb } from '../state/menu.schema.ts';
import { READ_VERBS } from '../state/menu.schema.ts';
import { MESSAGES, TRAP_CATEGORY, TrapError } from '../state/router.errors.ts';
import type { CommandHandler } from './command.context.ts';
import type { ApiRequest } from './command.request.ts';
import { handleHotspotLogin } from './hotspot-login.handler.ts';
import { handleGet, handleListen, handlePrint } from './read.handlers.ts';
import type { ApiUser } from './user.directory.ts';
import {
  handleAdd,
  handleDisable,
  handleEnable,
  handleRemove,
  handleSet,
  handleUnset,
} from './write.handlers.ts';

const HANDLERS: Readonly<Record<Verb, CommandHandler>> = {
  print: handlePrint,
  getall: handlePrint,
  get: handleGet,
  listen: handleListen,
  add: handleAdd,
  set: handleSet,
  remove: handleRemove,
  enable: handleEnable,
  disable: handleDisable,
  unset: handleUnset,
  login: handleHotspotLogin,
};

export interface RoutedCommand {
  readonly menu: Menu;
  readonly handler: CommandHandler;
}

export function routeCommand(request: ApiRequest, user: ApiUser): RoutedCommand {
  const menu = findMenu(request.menuPath);
  if (!menu) {
    const known = request.menuPath !== '' && isMenuPrefix(request.menuPath);
    const message = known ? MESSAGES.noSuchCommand : MESSAGES.noSuchCommandPrefix;
    throw new TrapError(message, TRAP_CATEGORY.missingItemOrCommand);
  }
  const verb = menu.verbs.find((v) => v === request.verb);
  if (!verb) throw new TrapError(MESSAGES.noSuchCommand, TRAP_CATEGORY.missingItemOrCommand);
  const needed = READ_VERBS.has(verb) ? 'read' : 'write';
  if (!user.policies.has(needed)) throw new TrapError(MESSAGES.notEnoughPermissions);
  return { menu, handler: HANDLERS[verb] };
}
