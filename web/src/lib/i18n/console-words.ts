// Words several console areas share: role names and what each role may do, in the person's
// language (@kasi/domain's ROLE_EXPLAINED stays the English reference for the CLI).
import type { Role } from '@kasi/domain/roles';
import { m } from './locale.ts';

const NAMES: Record<Role, () => string> = {
  owner: m.console_shell_role_owner,
  admin: m.console_shell_role_admin,
  operator: m.console_shell_role_operator,
  agent: m.console_shell_role_agent,
  viewer: m.console_shell_role_viewer,
};

const EXPLAINED: Record<Role, () => string> = {
  owner: m.console_shell_role_owner_explained,
  admin: m.console_shell_role_admin_explained,
  operator: m.console_shell_role_operator_explained,
  agent: m.console_shell_role_agent_explained,
  viewer: m.console_shell_role_viewer_explained,
};

/** "Owner", "Mmiliki"…; an unknown role is shown as it is stored. */
export const roleName = (role: string): string => NAMES[role as Role]?.() ?? role;

export const roleExplained = (role: string): string => EXPLAINED[role as Role]?.() ?? '';
