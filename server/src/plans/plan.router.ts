import { z } from 'zod';
import { planInput, planUpdateInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { archivePlan, createPlan, getPlan, listPlans, listPlanVersions, updatePlan } from './plan.service.ts';

export const planRouter = router({
  list: authedProcedure.query(({ ctx }) => listPlans(ctx.app, ctx.actor)),
  get: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getPlan(ctx.app, ctx.actor, input.id)),
  create: authedProcedure
    .input(planInput)
    .mutation(({ ctx, input }) => createPlan(ctx.app, ctx.actor, input)),
  update: authedProcedure
    .input(planUpdateInput)
    .mutation(({ ctx, input }) => updatePlan(ctx.app, ctx.actor, input.id, input.patch)),
  archive: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => archivePlan(ctx.app, ctx.actor, input.id)),
  versions: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => listPlanVersions(ctx.app, ctx.actor, input.id)),
});
