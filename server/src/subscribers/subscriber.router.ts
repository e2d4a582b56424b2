import { subscriberInput, subscriberStatusInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { createSubscriber, listSubscribers, setSubscriberStatus } from './subscriber.service.ts';

export const subscriberRouter = router({
  list: authedProcedure.query(({ ctx }) => listSubscribers(ctx.app, ctx.actor)),
  create: authedProcedure
    .input(subscriberInput)
    .mutation(({ ctx, input }) => createSubscriber(ctx.app, ctx.actor, input)),
  setStatus: authedProcedure
    .input(subscriberStatusInput)
    .mutation(({ ctx, input }) => setSubscriberStatus(ctx.app, ctx.actor, input)),
});
