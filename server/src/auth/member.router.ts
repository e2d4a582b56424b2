// Owners and admins looking after the tenant's people: their sessions and password resets.
import { z } from 'zod';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { listMembers, listMemberSessions, revokeMemberSessions } from './account-sessions.service.ts';
import { issuePasswordReset } from './password.service.ts';
import { removeMemberTwoFactor } from './two-factor.service.ts';
import { updateTenantSettings } from '../tenants/tenant.service.ts';

const member = z.object({ userId: z.uuid() });

export const memberRouter = router({
  list: authedProcedure.query(({ ctx }) => listMembers(ctx.app, ctx.actor)),
  sessions: authedProcedure
    .input(member)
    .query(({ ctx, input }) => listMemberSessions(ctx.app, ctx.actor, input)),
  revokeSessions: authedProcedure
    .input(member.extend({ id: z.uuid().optional() }))
    .mutation(({ ctx, input }) => revokeMemberSessions(ctx.app, ctx.actor, input)),
  resetPassword: authedProcedure
    .input(member)
    .mutation(({ ctx, input }) => issuePasswordReset(ctx.app, ctx.actor, input)),
  /** The tenant setting "owners and admins must use two-factor" (owners: tenant.manage). */
  requireTwoFactor: authedProcedure
    .input(z.object({ required: z.boolean() }))
    .mutation(({ ctx, input }) =>
      updateTenantSettings(ctx.app, ctx.actor, { requireTwoFactorForAdmins: input.required }),
    ),
  removeTwoFactor: authedProcedure
    .input(member)
    .mutation(({ ctx, input }) => removeMemberTwoFactor(ctx.app, ctx.actor, input)),
});
