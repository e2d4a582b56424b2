// sms.*: an operator's SMS — settings (credentials go in and never come out), a test
// message, templates, the outbox, opt-outs, bulk sends and the dashboard's banner.
import { smsBulkInput, smsSettingsInput, smsTemplateInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import {
  bulkDecisionInput,
  bulkPreviewInput,
  createBulk,
  decideBulk,
  listBulks,
  listOptOuts,
  listOutbox,
  messageRefInput,
  optOutInput,
  outboxInput,
  previewBulk,
  retryMessage,
  setOptOut,
  smsStatus,
} from './sms-console.service.ts';
import {
  getSmsSettings,
  recentRefusals,
  sendTestSms,
  setSmsEnabled,
  setSmsSettings,
  smsEnabledInput,
  smsTestInput,
} from './sms-settings.service.ts';
import { listTemplates, resetTemplate, saveTemplate, templateRefInput } from './sms-templates.service.ts';

export const smsRouter = router({
  settings: authedProcedure.query(({ ctx }) => getSmsSettings(ctx.app, ctx.actor)),
  setSettings: authedProcedure
    .input(smsSettingsInput)
    .mutation(({ ctx, input }) => setSmsSettings(ctx.app, ctx.actor, input)),
  setEnabled: authedProcedure
    .input(smsEnabledInput)
    .mutation(({ ctx, input }) => setSmsEnabled(ctx.app, ctx.actor, input)),
  sendTest: authedProcedure
    .input(smsTestInput)
    .mutation(({ ctx, input }) => sendTestSms(ctx.app, ctx.actor, input)),
  refusals: authedProcedure.query(({ ctx }) => recentRefusals(ctx.app, ctx.actor)),
  templates: authedProcedure.query(({ ctx }) => listTemplates(ctx.app, ctx.actor)),
  saveTemplate: authedProcedure
    .input(smsTemplateInput)
    .mutation(({ ctx, input }) => saveTemplate(ctx.app, ctx.actor, input)),
  resetTemplate: authedProcedure
    .input(templateRefInput)
    .mutation(({ ctx, input }) => resetTemplate(ctx.app, ctx.actor, input)),
  outbox: authedProcedure.input(outboxInput).query(({ ctx, input }) => listOutbox(ctx.app, ctx.actor, input)),
  retry: authedProcedure
    .input(messageRefInput)
    .mutation(({ ctx, input }) => retryMessage(ctx.app, ctx.actor, input)),
  optOuts: authedProcedure.query(({ ctx }) => listOptOuts(ctx.app, ctx.actor)),
  setOptOut: authedProcedure
    .input(optOutInput)
    .mutation(({ ctx, input }) => setOptOut(ctx.app, ctx.actor, input)),
  bulkPreview: authedProcedure
    .input(bulkPreviewInput)
    .query(({ ctx, input }) => previewBulk(ctx.app, ctx.actor, input)),
  bulkCreate: authedProcedure
    .input(smsBulkInput)
    .mutation(({ ctx, input }) => createBulk(ctx.app, ctx.actor, input)),
  bulkDecide: authedProcedure
    .input(bulkDecisionInput)
    .mutation(({ ctx, input }) => decideBulk(ctx.app, ctx.actor, input)),
  bulks: authedProcedure.query(({ ctx }) => listBulks(ctx.app, ctx.actor)),
  status: authedProcedure.query(({ ctx }) => smsStatus(ctx.app, ctx.actor)),
});
