// The console's Settings: the tenant, its people and roles, where routers send RADIUS, and the
// dashboard's getting-started checklist.
import { z } from 'zod';
import { memberInviteInput, tenantSettingsInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { updateTenantSettings } from '../tenants/tenant.service.ts';
import { gettingStarted } from './getting-started.service.ts';
import { inviteMember, setMemberActive, setMemberRole } from './member-admin.service.ts';
import { readRadiusEndpoint, readTenantSettings } from './tenant-settings.service.ts';

const member = z.object({ userId: z.uuid() });

export const settingsRouter = router({
  tenant: authedProcedure.query(({ ctx }) => readTenantSettings(ctx.app, ctx.actor)),
  update: authedProcedure
    .input(tenantSettingsInput)
    .mutation(({ ctx, input }) => updateTenantSettings(ctx.app, ctx.actor, input)),
  radius: authedProcedure.query(({ ctx }) => readRadiusEndpoint(ctx.app, ctx.actor)),
  gettingStarted: authedProcedure.query(({ ctx }) => gettingStarted(ctx.app, ctx.actor)),
  invite: authedProcedure
    .input(memberInviteInput)
    .mutation(({ ctx, input }) => inviteMember(ctx.app, ctx.actor, input)),
  setRole: authedProcedure
    .input(member.extend({ role: memberInviteInput.shape.role }))
    .mutation(({ ctx, input }) => setMemberRole(ctx.app, ctx.actor, input)),
  setActive: authedProcedure
    .input(member.extend({ active: z.boolean() }))
    .mutation(({ ctx, input }) => setMemberActive(ctx.app, ctx.actor, input)),
});
