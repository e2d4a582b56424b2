import { authedProcedure, router } from '../trpc/trpc.ts';
import { findAnything, findInput } from './search.service.ts';

export const searchRouter = router({
  /** The console header's box: codes, subscribers and routers matching what was typed. */
  find: authedProcedure.input(findInput).query(({ ctx, input }) => findAnything(ctx.app, ctx.actor, input)),
});
