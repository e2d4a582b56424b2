import { authedProcedure, router } from '../trpc/trpc.ts';
import { auditListInput, checkAuditChain, listAudit } from './audit.service.ts';

export const auditRouter = router({
  list: authedProcedure.input(auditListInput).query(({ ctx, input }) => listAudit(ctx.app, ctx.actor, input)),
  verify: authedProcedure.query(({ ctx }) => checkAuditChain(ctx.app, ctx.actor)),
});
