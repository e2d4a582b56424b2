import { z } from 'zod';
import { conflictResolveInput, syncPullInput, syncPushInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { listConflicts, resolveConflict } from './conflict.service.ts';
import { pullFeed, pushOps } from './sync.service.ts';

export const syncRouter = router({
  push: authedProcedure.input(syncPushInput).mutation(({ ctx, input }) => pushOps(ctx.app, ctx.actor, input)),
  pull: authedProcedure.input(syncPullInput).query(({ ctx, input }) => pullFeed(ctx.app, ctx.actor, input)),
  conflicts: authedProcedure
    .input(
      z.object({
        state: z.enum(['open', 'resolved', 'all']).default('open'),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) => listConflicts(ctx.app, ctx.actor, input)),
  resolveConflict: authedProcedure
    .input(conflictResolveInput)
    .mutation(({ ctx, input }) => resolveConflict(ctx.app, ctx.actor, input)),
});
