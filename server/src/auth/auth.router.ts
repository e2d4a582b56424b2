import { z } from 'zod';
import { publicProcedure, router } from '../trpc/trpc.ts';
import { clearedSessionCookie, sessionCookie } from '../http/cookies.ts';
import { login, logout } from './auth.service.ts';

export const authRouter = router({
  login: publicProcedure
    .input(z.object({ email: z.string().trim().min(3).max(200), password: z.string().min(1).max(500) }))
    .mutation(async ({ ctx, input }) => {
      const { token, session } = await login(ctx.app, {
        ...input,
        ip: ctx.ip,
        userAgent: ctx.req.headers['user-agent'] ?? null,
      });
      ctx.res.setHeader('set-cookie', sessionCookie(token, ctx.app.sessionTtlMs, ctx.secure));
      return session;
    }),
  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.token) await logout(ctx.app, ctx.token);
    ctx.res.setHeader('set-cookie', clearedSessionCookie(ctx.secure));
    return { ok: true };
  }),
  me: publicProcedure.query(({ ctx }) => ctx.session),
});
