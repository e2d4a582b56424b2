import { authedProcedure, router } from '../trpc/trpc.ts';
import { salesByChannel, salesByChannelInput } from './sales-report.service.ts';

export const reportRouter = router({
  /** Sales by day, channel, plan and agent over whole days of the tenant's calendar. */
  sales: authedProcedure
    .input(salesByChannelInput)
    .query(({ ctx, input }) => salesByChannel(ctx.app, ctx.actor, input)),
});
