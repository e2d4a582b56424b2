// The second wall: before any service runs, the caller's role is checked against the
// procedure's entry in the one access table (@kasi/domain procedure-access). A procedure the
// table does not know is refused, so a new one is closed until someone decides about it.
// The services still authorise on their first line; this catches the one that forgets.
import { experimental_standaloneMiddleware } from '@trpc/server';
import { forbidden, mayCall, procedureRule, unauthenticated, type Role } from '@kasi/domain';

/** Throws the domain error a caller gets for `path` without the right to call it. */
export function assertProcedureAccess(path: string, session: { role: Role } | null): void {
  const rule = procedureRule(path);
  if (!rule) throw forbidden('AUTH.UNDECIDED_PROCEDURE', `No access decision for ${path}`);
  // `self` procedures answer a missing session themselves (auth.me says null).
  if (rule.access === 'public' || rule.access === 'self') return;
  if (!session) throw unauthenticated('AUTH.NO_SESSION', 'Please log in');
  if (!mayCall(session.role, path)) {
    throw forbidden('AUTH.FORBIDDEN', `Your role (${session.role}) may not do this (${rule.access})`);
  }
}

/** `t.procedure.use(procedureGuard)`: runs before input parsing and the procedure. */
export const procedureGuard = experimental_standaloneMiddleware<{
  ctx: { session: { role: Role } | null };
}>().create(({ ctx, path, next }) => {
  assertProcedureAccess(path, ctx.session);
  return next();
});
