// tRPC set-up: context from the session cookie, one error mapper, and procedure
// builders that authenticate and carry an Actor into the services.
import { randomUUID } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateHTTPContextOptions } from '@trpc/server/adapters/standalone';
import superjson from 'superjson';
import { ZodError } from 'zod';
import { isDomainError, type DomainErrorKind } from '@kasi/domain';
import { isRouterError } from '@kasi/routeros';
import { routerErrorToDomain } from '../routers/router-errors.ts';
import type { Actor, AppContext } from '../app-context.ts';
import { findSession, type SessionInfo } from '../auth/auth.service.ts';
import { readCookie, SESSION_COOKIE } from '../http/cookies.ts';

export interface RequestContext {
  app: AppContext;
  req: CreateHTTPContextOptions['req'];
  res: CreateHTTPContextOptions['res'];
  requestId: string;
  ip: string;
  token: string | null;
  session: SessionInfo | null;
}

export function contextFactory(app: AppContext) {
  return async ({ req, res }: CreateHTTPContextOptions): Promise<RequestContext> => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = token ? await findSession(app, token) : null;
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    return { app, req, res, requestId, ip: req.socket.remoteAddress ?? 'unknown', token, session };
  };
}

const KIND_TO_CODE: Record<DomainErrorKind, TRPCError['code']> = {
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  invalid: 'BAD_REQUEST',
  forbidden: 'FORBIDDEN',
  unauthenticated: 'UNAUTHORIZED',
  rate_limited: 'TOO_MANY_REQUESTS',
  unavailable: 'BAD_GATEWAY',
};

/** The one place where errors become API errors. Unknown errors never reach clients raw. */
export function toTrpcError(e: unknown): TRPCError {
  if (e instanceof TRPCError) return e;
  if (isRouterError(e)) return toTrpcError(routerErrorToDomain(e));
  if (isDomainError(e)) return new TRPCError({ code: KIND_TO_CODE[e.kind], message: e.message, cause: e });
  if (e instanceof ZodError)
    return new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input', cause: e });
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong', cause: e });
}

const t = initTRPC.context<RequestContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const domain = isDomainError(cause) ? { code: cause.code, details: cause.details ?? null } : null;
    const issues =
      cause instanceof ZodError
        ? cause.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
        : null;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: internal ? `Something went wrong (request ${ctx?.requestId ?? '?'})` : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        domain,
        issues,
        requestId: ctx?.requestId ?? null,
      },
    };
  },
});

const errorMapper = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTrpcError(result.error.cause ?? result.error);
    if (mapped.code === 'INTERNAL_SERVER_ERROR') {
      ctx.app.log.error(
        { err: result.error.cause ?? result.error, requestId: ctx.requestId, path },
        'unexpected error',
      );
    }
    return { ...result, error: mapped };
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(errorMapper);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please log in' });
  const s = ctx.session;
  const actor: Actor = {
    tenantId: s.tenantId,
    userId: s.userId,
    label: s.email,
    role: s.role,
    requestId: ctx.requestId,
  };
  return next({ ctx: { ...ctx, session: s, actor } });
});
