import { z } from 'zod';
import { publicProcedure, router } from '../trpc/trpc.ts';
import { clearedSessionCookie, readCookie, sessionCookie } from '../http/cookies.ts';
import {
  logout,
  passkeyStep,
  passwordStep,
  secondFactorOptions,
  secondFactorRequired,
  secondStep,
  CHALLENGE_TTL_MS,
} from './auth.service.ts';
import { authenticationResponse } from './passkey-inputs.ts';
import { CHALLENGE_COOKIE, challengeCookie, clearedChallengeCookie } from './challenge-cookie.ts';
import { resetPassword } from './password.service.ts';
import { unauthenticated } from '@kasi/domain';

/** The pending sign-in's token, from its HttpOnly cookie. */
function pendingChallenge(cookies: string | undefined): string {
  const challenge = readCookie(cookies, CHALLENGE_COOKIE);
  if (!challenge)
    throw unauthenticated('AUTH.LOGIN_EXPIRED', 'This sign-in has expired. Enter your password again.');
  return challenge;
}

/** The second step passed: the session's cookie set, the pending sign-in's cleared. */
function completeSignIn<S>(
  ctx: {
    res: { setHeader(name: string, value: string[]): unknown };
    app: { sessionTtlMs: number };
    secure: boolean;
  },
  token: string,
  session: S,
): S {
  ctx.res.setHeader('set-cookie', [
    sessionCookie(token, ctx.app.sessionTtlMs, ctx.secure),
    clearedChallengeCookie(ctx.secure),
  ]);
  return session;
}

export const authRouter = router({
  /**
   * The password step. With a second factor due it answers AUTH.SECOND_FACTOR_REQUIRED and
   * sets the challenge cookie; auth.secondStep then finishes the sign-in.
   */
  login: publicProcedure
    .input(z.object({ email: z.string().trim().min(3).max(200), password: z.string().min(1).max(500) }))
    .mutation(async ({ ctx, input }) => {
      const client = { ip: ctx.ip, userAgent: ctx.req.headers['user-agent'] ?? null };
      const step = await passwordStep(ctx.app, { ...input, ...client });
      if (step.kind === 'second_factor') {
        ctx.res.setHeader('set-cookie', challengeCookie(step.challenge, CHALLENGE_TTL_MS, ctx.secure));
        throw secondFactorRequired();
      }
      ctx.res.setHeader('set-cookie', sessionCookie(step.token, ctx.app.sessionTtlMs, ctx.secure));
      return step.session;
    }),
  /** A TOTP code (six digits) or a recovery code for the pending sign-in. */
  secondStep: publicProcedure
    .input(z.object({ code: z.string().trim().min(6).max(40) }))
    .mutation(async ({ ctx, input }) => {
      const { token, session } = await secondStep(ctx.app, {
        challenge: pendingChallenge(ctx.req.headers.cookie),
        code: input.code,
        ip: ctx.ip,
        userAgent: ctx.req.headers['user-agent'] ?? null,
      });
      return completeSignIn(ctx, token, session);
    }),
  /**
   * What the pending sign-in may use: `totp` (a code field) and, for a person with passkeys,
   * WebAuthn request options with a fresh challenge (five minutes, single use).
   */
  secondFactorOptions: publicProcedure.mutation(({ ctx }) =>
    secondFactorOptions(ctx.app, { challenge: pendingChallenge(ctx.req.headers.cookie) }),
  ),
  /** A passkey's answer to the challenge from secondFactorOptions, instead of a code. */
  passkeyStep: publicProcedure
    .input(z.object({ response: authenticationResponse }))
    .mutation(async ({ ctx, input }) => {
      const { token, session } = await passkeyStep(ctx.app, {
        challenge: pendingChallenge(ctx.req.headers.cookie),
        response: input.response,
        ip: ctx.ip,
        userAgent: ctx.req.headers['user-agent'] ?? null,
      });
      return completeSignIn(ctx, token, session);
    }),
  /** From a reset link an owner or admin made: sets the password, ends every session. */
  resetPassword: publicProcedure
    .input(z.object({ token: z.string().min(20).max(100), newPassword: z.string().min(1).max(500) }))
    .mutation(({ ctx, input }) => resetPassword(ctx.app, input)),
  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.token) await logout(ctx.app, ctx.token);
    ctx.res.setHeader('set-cookie', clearedSessionCookie(ctx.secure));
    return { ok: true };
  }),
  me: publicProcedure.query(({ ctx }) => ctx.session),
});
