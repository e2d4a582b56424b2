import { z } from 'zod';
import {
  IMPORT_FIELDS,
  subscriberFilter,
  subscriberInput,
  subscriberListInput,
  subscriberPassword,
  subscriberReasonInput,
  subscriberResumeInput,
  subscriberUpdateInput,
} from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import {
  addSubscriber,
  getSubscriber,
  resetSubscriberPassword,
  updateSubscriber,
} from './subscriber.service.ts';
import { resumeSubscriber, suspendSubscriber, terminateSubscriber } from './subscriber-status.service.ts';
import { listSubscribers } from './subscriber-query.ts';
import { subscriberSessions, subscriberTimeline, subscriberUsage } from './subscriber-activity.service.ts';
import { checkImport, commitImport, previewImport } from './subscriber-import.service.ts';
import { exportSubscribersCsv } from './subscriber-export.service.ts';
import { eraseSubscriber, exportSubscriber } from './subscriber-privacy.service.ts';

const byId = z.object({ id: z.uuid() });
/** Below the tRPC body limit (1 MiB by default); the CLI imports larger files. */
const csv = z.string().min(1).max(1_000_000);
const mapping = z.array(z.enum(IMPORT_FIELDS).nullable()).max(200);

export const subscriberRouter = router({
  list: authedProcedure
    .input(subscriberListInput)
    .query(({ ctx, input }) => listSubscribers(ctx.app, ctx.actor, input)),
  get: authedProcedure.input(byId).query(({ ctx, input }) => getSubscriber(ctx.app, ctx.actor, input.id)),
  create: authedProcedure
    .input(subscriberInput)
    .mutation(({ ctx, input }) => addSubscriber(ctx.app, ctx.actor, input)),
  update: authedProcedure
    .input(subscriberUpdateInput)
    .mutation(({ ctx, input }) => updateSubscriber(ctx.app, ctx.actor, input)),
  resetPassword: authedProcedure
    .input(byId.extend({ password: subscriberPassword.optional() }))
    .mutation(({ ctx, input }) => resetSubscriberPassword(ctx.app, ctx.actor, input)),
  suspend: authedProcedure
    .input(subscriberReasonInput)
    .mutation(({ ctx, input }) => suspendSubscriber(ctx.app, ctx.actor, input)),
  resume: authedProcedure
    .input(subscriberResumeInput)
    .mutation(({ ctx, input }) => resumeSubscriber(ctx.app, ctx.actor, input)),
  terminate: authedProcedure
    .input(subscriberReasonInput)
    .mutation(({ ctx, input }) => terminateSubscriber(ctx.app, ctx.actor, input)),
  sessions: authedProcedure
    .input(byId)
    .query(({ ctx, input }) => subscriberSessions(ctx.app, ctx.actor, input.id)),
  usage: authedProcedure.input(byId).query(({ ctx, input }) => subscriberUsage(ctx.app, ctx.actor, input.id)),
  timeline: authedProcedure
    .input(byId)
    .query(({ ctx, input }) => subscriberTimeline(ctx.app, ctx.actor, input.id)),
  importPreview: authedProcedure
    .input(z.object({ csv }))
    .mutation(({ ctx, input }) => previewImport(ctx.app, ctx.actor, input)),
  importCheck: authedProcedure
    .input(z.object({ csv, mapping }))
    .mutation(({ ctx, input }) => checkImport(ctx.app, ctx.actor, input)),
  importCommit: authedProcedure
    .input(z.object({ csv, mapping, skipRefused: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => commitImport(ctx.app, ctx.actor, input)),
  exportCsv: authedProcedure
    .input(subscriberFilter)
    .mutation(({ ctx, input }) => exportSubscribersCsv(ctx.app, ctx.actor, input)),
  export: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => exportSubscriber(ctx.app, ctx.actor, input.id)),
  erase: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => eraseSubscriber(ctx.app, ctx.actor, input.id)),
});
