import { z } from 'zod';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { createNas, deleteNas, listNas } from './nas.service.ts';

export const nasRouter = router({
  list: authedProcedure.query(({ ctx }) => listNas(ctx.app, ctx.actor)),
  create: authedProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(80),
        address: z.string().trim(),
        secret: z.string().min(8).max(128).optional(),
        requireMessageAuthenticator: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => createNas(ctx.app, ctx.actor, input)),
  delete: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteNas(ctx.app, ctx.actor, input.id)),
});
