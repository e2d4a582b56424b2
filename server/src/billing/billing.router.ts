// billing.*: settings, a subscriber's account, plan changes, write-offs, dunning. One line per
// procedure: parse, call the service.
import { z } from 'zod';
import {
  billingSettingsPatch,
  dunningPolicyPatch,
  neverSuspendInput,
  planChangeInput,
  promiseToPayInput,
  writeOffInput,
} from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { getBillingSettings, updateBillingSettings } from './billing-settings.service.ts';
import { getBillingAccount } from './billing-account.service.ts';
import { decideWriteOff, writeOffInvoice } from './write-off.service.ts';
import { applyPlanChange, previewPlanChange } from '../plans/plan-change.service.ts';
import {
  getDunningPolicy,
  promiseToPay,
  setNeverSuspend,
  updateDunningPolicy,
} from './dunning-policy.service.ts';

const decision = z.object({ id: z.uuid(), decision: z.enum(['approve', 'reject']) });

export const billingRouter = router({
  settings: authedProcedure.query(({ ctx }) => getBillingSettings(ctx.app, ctx.actor)),
  updateSettings: authedProcedure
    .input(billingSettingsPatch)
    .mutation(({ ctx, input }) => updateBillingSettings(ctx.app, ctx.actor, input)),
  account: authedProcedure
    .input(z.object({ subscriberId: z.uuid() }))
    .query(({ ctx, input }) => getBillingAccount(ctx.app, ctx.actor, input.subscriberId)),
  previewPlanChange: authedProcedure
    .input(planChangeInput)
    .query(({ ctx, input }) => previewPlanChange(ctx.app, ctx.actor, input)),
  changePlan: authedProcedure
    .input(planChangeInput)
    .mutation(({ ctx, input }) => applyPlanChange(ctx.app, ctx.actor, input)),
  writeOff: authedProcedure
    .input(writeOffInput)
    .mutation(({ ctx, input }) => writeOffInvoice(ctx.app, ctx.actor, input)),
  decideWriteOff: authedProcedure
    .input(decision)
    .mutation(({ ctx, input }) => decideWriteOff(ctx.app, ctx.actor, input.id, input.decision)),
  dunningPolicy: authedProcedure.query(({ ctx }) => getDunningPolicy(ctx.app, ctx.actor)),
  updateDunningPolicy: authedProcedure
    .input(dunningPolicyPatch)
    .mutation(({ ctx, input }) => updateDunningPolicy(ctx.app, ctx.actor, input)),
  promiseToPay: authedProcedure
    .input(promiseToPayInput)
    .mutation(({ ctx, input }) => promiseToPay(ctx.app, ctx.actor, input)),
  setNeverSuspend: authedProcedure
    .input(neverSuspendInput)
    .mutation(({ ctx, input }) => setNeverSuspend(ctx.app, ctx.actor, input)),
});
