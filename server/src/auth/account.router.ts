// The signed-in person's own account: two-factor, sessions, password, language.
import { z } from 'zod';
import { setUserLocaleInput } from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { setOwnLocale } from './account-locale.service.ts';
import { listOwnSessions, revokeOwnSessions } from './account-sessions.service.ts';
import { changePassword } from './password.service.ts';
import { passkeyName, registrationResponse } from './passkey-inputs.ts';
import { addPasskey, listPasskeys, passkeyRegistrationOptions, removePasskey } from './passkey.service.ts';
import { confirmTwoFactor, disableTwoFactor, startTwoFactor, twoFactorStatus } from './two-factor.service.ts';

const code = z.string().trim().min(6).max(40);

export const accountRouter = router({
  security: authedProcedure.query(({ ctx }) => twoFactorStatus(ctx.app, ctx.actor)),
  startTwoFactor: authedProcedure.mutation(({ ctx }) => startTwoFactor(ctx.app, ctx.actor)),
  confirmTwoFactor: authedProcedure
    .input(z.object({ code }))
    .mutation(({ ctx, input }) => confirmTwoFactor(ctx.app, ctx.actor, input)),
  disableTwoFactor: authedProcedure
    .input(z.object({ password: z.string().min(1).max(500), code }))
    .mutation(({ ctx, input }) => disableTwoFactor(ctx.app, ctx.actor, input)),
  passkeys: authedProcedure.query(({ ctx }) => listPasskeys(ctx.app, ctx.actor)),
  /** Options for navigator.credentials.create(), with a challenge kept for five minutes. */
  passkeyOptions: authedProcedure.mutation(({ ctx }) => passkeyRegistrationOptions(ctx.app, ctx.actor)),
  addPasskey: authedProcedure
    .input(z.object({ name: passkeyName, response: registrationResponse }))
    .mutation(({ ctx, input }) => addPasskey(ctx.app, ctx.actor, input)),
  /** Needs the password or a TOTP/recovery code. */
  removePasskey: authedProcedure
    .input(
      z.object({
        id: z.uuid(),
        password: z.string().min(1).max(500).optional(),
        code: code.optional(),
      }),
    )
    .mutation(({ ctx, input }) => removePasskey(ctx.app, ctx.actor, input)),
  sessions: authedProcedure.query(({ ctx }) => listOwnSessions(ctx.app, ctx.actor, ctx.session.sessionId)),
  revokeSession: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => revokeOwnSessions(ctx.app, ctx.actor, { id: input.id })),
  revokeOtherSessions: authedProcedure.mutation(({ ctx }) =>
    revokeOwnSessions(ctx.app, ctx.actor, { othersThan: ctx.session.sessionId }),
  ),
  changePassword: authedProcedure
    .input(z.object({ currentPassword: z.string().min(1).max(500), newPassword: z.string().min(1).max(500) }))
    .mutation(({ ctx, input }) =>
      changePassword(ctx.app, ctx.actor, { ...input, currentSessionId: ctx.session.sessionId }),
    ),
  setLocale: authedProcedure
    .input(setUserLocaleInput)
    .mutation(({ ctx, input }) => setOwnLocale(ctx.app, ctx.actor, input)),
});
