import { z } from 'zod';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { kickSession, listOpenSessions } from './session.service.ts';
import { listOnline, onlineInput } from './online.service.ts';

export const sessionRouter = router({
  open: authedProcedure.query(({ ctx }) => listOpenSessions(ctx.app, ctx.actor)),
  /** Online users across every NAS, from accounting, filtered, one keyset page. */
  online: authedProcedure.input(onlineInput).query(({ ctx, input }) => listOnline(ctx.app, ctx.actor, input)),
  kick: authedProcedure
    .input(z.object({ id: z.bigint() }))
    .mutation(({ ctx, input }) => kickSession(ctx.app, ctx.actor, input.id)),
});
