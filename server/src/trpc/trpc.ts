// tRPC set-up: context from the session cookie, one error mapper, and procedure
// builders that authenticate and carry an Actor into the services.
import { randomUUID } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateHTTPContextOptions } from '@trpc/server/adapters/standalone';
import superjson from 'superjson';
import { ZodError } from 'zod';
import { invalid, isDomainError, type DomainErrorKind } from '@kasi/domain';
import { withScope, withTenantLookup } from '@kasi/db';
import { isRouterError } from '@kasi/routeros';
import { routerErrorToDomain } from '../routers/router-errors.ts';
import type { Actor, AppContext } from '../app-context.ts';
import { findSession, type SessionInfo } from '../auth/auth.service.ts';
import { assertEnrolmentGate } from '../auth/enrolment-gate.ts';
import { clearedSessionCookie, readCookie, SESSION_COOKIE } from '../http/cookies.ts';
import { clientOrigin, trustedProxyList } from '../http/client-address.ts';
import { DEFAULT_HTTP_SETTINGS, type HttpSettings } from '../http/http-settings.ts';
import { assertCleanInput, unreadableInput } from './input-guard.ts';
import { pgDataErrorCode } from './pg-data-error.ts';
import { procedureGuard } from './procedure-guard.ts';

export interface RequestContext {
  app: AppContext;
  req: CreateHTTPContextOptions['req'];
  res: CreateHTTPContextOptions['res'];
  requestId: string;
  ip: string;
  /** The client reached us over HTTPS (session cookies get Secure). */
  secure: boolean;
  token: string | null;
  session: SessionInfo | null;
}

/** Only a login travels alone: a batch of them would check many passwords in one request. */
const LOGIN_PATH = 'auth.login';

function refuseBatchedLogin(info: CreateHTTPContextOptions['info']): void {
  if (info.isBatchCall && info.calls.length > 1 && info.calls.some((c) => c.path === LOGIN_PATH)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'auth.login cannot be batched',
      cause: invalid('AUTH.LOGIN_BATCHED', 'Send a login on its own'),
    });
  }
}

export function contextFactory(
  app: AppContext,
  settings: Pick<HttpSettings, 'trustedProxies' | 'publicUrl'> = DEFAULT_HTTP_SETTINGS,
) {
  const proxies = trustedProxyList(settings.trustedProxies);
  const httpsUrl = settings.publicUrl.startsWith('https:');
  return async ({ req, res, info }: CreateHTTPContextOptions): Promise<RequestContext> => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    refuseBatchedLogin(info);
    const origin = clientOrigin(req, proxies);
    const secure = origin.secure || httpsUrl;
    let token: string | null;
    try {
      token = readCookie(req.headers.cookie, SESSION_COOKIE);
    } catch (e) {
      // Not a cookie we wrote: drop it, or the browser would repeat the mistake forever.
      res.setHeader('set-cookie', clearedSessionCookie(secure));
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'Malformed session cookie', cause: e });
    }
    // This context enforces the two-factor enrolment gate (below), so it may see gated sessions.
    const session = token
      ? await withTenantLookup(() => findSession(app, token, { enrolmentGated: true }))
      : null;
    return { app, req, res, requestId, ip: origin.ip, secure, token, session };
  };
}

/** A 429 tells the client when to come back (the delay is in the domain error's details). */
export function responseMeta({ errors }: { errors: TRPCError[] }): { headers?: Record<string, string> } {
  const delays = errors
    .map((e) => (isDomainError(e.cause) ? e.cause.details?.retryAfterSeconds : undefined))
    .filter((s): s is number => typeof s === 'number');
  return delays.length ? { headers: { 'retry-after': String(Math.max(...delays)) } } : {};
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
  const pgCode = pgDataErrorCode(e);
  if (pgCode) {
    const refused = invalid('INPUT.REFUSED_BY_DATABASE', 'A value is out of range or not allowed', {
      sqlState: pgCode,
    });
    return new TRPCError({ code: 'BAD_REQUEST', message: refused.message, cause: refused });
  }
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

/** Reads the input once, up front, so unreadable or impossible input is a typed 400. */
const inputGuard = t.middleware(async ({ getRawInput, next }) => {
  let raw: unknown;
  try {
    raw = await getRawInput();
  } catch (e) {
    throw unreadableInput(e);
  }
  assertCleanInput(raw);
  return next();
});

/** A session held at the two-factor enrolment gate reaches only the enrolment procedures. */
const enrolmentGate = t.middleware(({ ctx, path, next }) => {
  assertEnrolmentGate(path, ctx.session);
  return next();
});

/**
 * Row-level security (ADR 0019): every statement of a procedure acts for the session's tenant
 * and user. Without a session (sign-in, reset links) only the pre-tenant lookup policies apply
 * until the code names the tenant with withTenant.
 */
const databaseScope = t.middleware(({ ctx, next }) =>
  withScope(
    {
      tenantId: ctx.session?.tenantId ?? null,
      userId: ctx.session?.userId ?? null,
      lookup: !ctx.session,
    },
    () => next(),
  ),
);

export const router = t.router;
export const publicProcedure = t.procedure
  .use(errorMapper)
  .use(databaseScope)
  .use(procedureGuard)
  .use(enrolmentGate)
  .use(inputGuard);

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
