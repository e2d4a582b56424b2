import { z } from 'zod';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { kickSession, listOpenSessions } from './session.service.ts';

export const sessionRouter = router({
  open: authedProcedure.query(({ ctx }) => listOpenSessions(ctx.app, ctx.actor)),
  kick: authedProcedure
    .input(z.object({ id: z.bigint() }))
    .mutation(({ ctx, input }) => kickSession(ctx.app, ctx.actor, input.id)),
});
