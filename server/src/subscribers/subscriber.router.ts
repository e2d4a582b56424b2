import { subscriberInput, subscriberStatusInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { z } from 'zod';
import { createSubscriber, listSubscribers, setSubscriberStatus } from './subscriber.service.ts';
import { eraseSubscriber, exportSubscriber } from './subscriber-privacy.service.ts';

export const subscriberRouter = router({
  list: authedProcedure.query(({ ctx }) => listSubscribers(ctx.app, ctx.actor)),
  create: authedProcedure
    .input(subscriberInput)
    .mutation(({ ctx, input }) => createSubscriber(ctx.app, ctx.actor, input)),
  setStatus: authedProcedure
    .input(subscriberStatusInput)
    .mutation(({ ctx, input }) => setSubscriberStatus(ctx.app, ctx.actor, input)),
  export: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => exportSubscriber(ctx.app, ctx.actor, input.id)),
  erase: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => eraseSubscriber(ctx.app, ctx.actor, input.id)),
});
