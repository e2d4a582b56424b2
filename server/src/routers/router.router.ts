import { z } from 'zod';
import {
  hotspotInstallInput,
  hotspotPreviewInput,
  routerPatchInput,
  routerInput,
  wiringInput,
} from '@kasi/domain';
import { proposeHotspotInstall } from '../hotspot/hotspot-install.service.ts';
import { previewHotspotPages } from '../hotspot/hotspot-preview.service.ts';
import { authedProcedure, router } from '../trpc/trpc.ts';
import {
  applyChangePlan,
  decidePlan,
  listChangePlans,
  proposeRadiusWiring,
  rollbackChangePlan,
} from './change-plan.service.ts';
import { kickRouterSession, listRouterSessions } from './router-session.service.ts';
import { createRouter, deleteRouter, listRouters, testRouter, updateRouter } from './router.service.ts';

const byId = z.object({ id: z.uuid() });

export const routerRouter = router({
  list: authedProcedure.query(({ ctx }) => listRouters(ctx.app, ctx.actor)),
  create: authedProcedure
    .input(routerInput)
    .mutation(({ ctx, input }) => createRouter(ctx.app, ctx.actor, input)),
  update: authedProcedure
    .input(z.object({ id: z.uuid(), patch: routerPatchInput }))
    .mutation(({ ctx, input }) => updateRouter(ctx.app, ctx.actor, input.id, input.patch)),
  delete: authedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await deleteRouter(ctx.app, ctx.actor, input.id);
    return { deleted: true };
  }),
  test: authedProcedure.input(byId).mutation(({ ctx, input }) => testRouter(ctx.app, ctx.actor, input.id)),
  proposeWiring: authedProcedure
    .input(wiringInput)
    .mutation(({ ctx, input }) => proposeRadiusWiring(ctx.app, ctx.actor, input.routerId, input)),
  hotspotPreview: authedProcedure
    .input(hotspotPreviewInput)
    .query(({ ctx, input }) => previewHotspotPages(ctx.app, ctx.actor, input)),
  proposeHotspotInstall: authedProcedure
    .input(hotspotInstallInput)
    .mutation(({ ctx, input }) => proposeHotspotInstall(ctx.app, ctx.actor, input)),
  plans: authedProcedure.input(byId).query(({ ctx, input }) => listChangePlans(ctx.app, ctx.actor, input.id)),
  decide: authedProcedure
    .input(z.object({ id: z.uuid(), decision: z.enum(['approve', 'reject']) }))
    .mutation(({ ctx, input }) => decidePlan(ctx.app, ctx.actor, input.id, input.decision)),
  applyPlan: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => applyChangePlan(ctx.app, ctx.actor, input.id)),
  rollback: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => rollbackChangePlan(ctx.app, ctx.actor, input.id)),
  sessions: authedProcedure
    .input(byId)
    .query(({ ctx, input }) => listRouterSessions(ctx.app, ctx.actor, input.id)),
  kick: authedProcedure
    .input(
      z.object({
        routerId: z.uuid(),
        sessionId: z.string().regex(/^\*[0-9A-F]+$/),
        kind: z.enum(['hotspot', 'ppp']),
      }),
    )
    .mutation(({ ctx, input }) => kickRouterSession(ctx.app, ctx.actor, input)),
});
