import { authedProcedure, router } from '../trpc/trpc.ts';
import { dashboardSummary } from './dashboard.service.ts';

export const dashboardRouter = router({
  summary: authedProcedure.query(({ ctx }) => dashboardSummary(ctx.app, ctx.actor)),
});
