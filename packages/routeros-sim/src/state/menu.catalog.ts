// Every menu the emulator knows, looked up by path. Paths not listed here answer
// "no such command prefix", as a router without that package would.
import { fileMenu } from './file.menus.ts';
import { IP_MENUS } from './ip.menus.ts';
import type { Menu } from './menu.schema.ts';
import { PPP_MENUS } from './ppp.menus.ts';
import { SYSTEM_MENUS } from './system.menus.ts';

export const MENUS: ReadonlyMap<string, Menu> = new Map(
  [...SYSTEM_MENUS, ...IP_MENUS, ...PPP_MENUS, fileMenu].map((menu) => [menu.path, menu]),
);

export function findMenu(path: string): Menu | undefined {
  return MENUS.get(path);
}

/** True when `path` is a known menu or a directory above one (e.g. /ip or /ip/hotspot/user). */
export function isMenuPrefix(path: string): boolean {
  for (const known of MENUS.keys()) {
    if (known === path || known.startsWith(`${path}/`)) return true;
  }
  return false;
}
