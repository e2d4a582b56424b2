// The first line of every service function: may this actor do this?
import { can, forbidden, type Permission } from '@kasi/domain';
import type { Actor } from './app-context.ts';

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw forbidden('AUTH.FORBIDDEN', `Your role (${actor.role}) may not do this (${permission})`);
  }
}
