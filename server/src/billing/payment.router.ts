// payment.*: record a manual payment, read payments.
import { z } from 'zod';
import { paymentInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { getPayment, listPayments, recordPayment } from './payment.service.ts';

export const paymentRouter = router({
  record: authedProcedure
    .input(paymentInput)
    .mutation(({ ctx, input }) => recordPayment(ctx.app, ctx.actor, input)),
  list: authedProcedure
    .input(z.object({ subscriberId: z.uuid().optional() }).default({}))
    .query(({ ctx, input }) => listPayments(ctx.app, ctx.actor, input)),
  get: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getPayment(ctx.app, ctx.actor, input.id)),
});
