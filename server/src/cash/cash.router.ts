import { z } from 'zod';
import { adjustmentInput, handoverInput, salesReportInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { salesByDays, salesReport, shiftReport } from './cash-report.service.ts';
import { agentToday, outstandingByAgent, recordAdjustment, recordHandover } from './ledger.service.ts';
import { salesDaysInput } from './report-days.ts';

export const cashRouter = router({
  handover: authedProcedure
    .input(handoverInput)
    .mutation(({ ctx, input }) => recordHandover(ctx.app, ctx.actor, input)),
  adjust: authedProcedure
    .input(adjustmentInput)
    .mutation(({ ctx, input }) => recordAdjustment(ctx.app, ctx.actor, input)),
  outstanding: authedProcedure.query(({ ctx }) => outstandingByAgent(ctx.app, ctx.actor)),
  sales: authedProcedure
    .input(salesReportInput)
    .query(({ ctx, input }) => salesReport(ctx.app, ctx.actor, input)),
  /** Sales grouped by agent, local day and plan over whole days of the tenant's calendar. */
  salesByDays: authedProcedure
    .input(salesDaysInput)
    .query(({ ctx, input }) => salesByDays(ctx.app, ctx.actor, input)),
  shifts: authedProcedure
    .input(z.object({ agentId: z.uuid() }))
    .query(({ ctx, input }) => shiftReport(ctx.app, ctx.actor, input.agentId)),
  /** The signed-in agent's sales today and what they owe. */
  today: authedProcedure.query(({ ctx }) => agentToday(ctx.app, ctx.actor)),
});
