// Calls tRPC procedures by path the way an HTTP request would: a real session from login(),
// the context built by the server's own contextFactory from a request carrying the session
// cookie, and a server-side caller of the app router. Used by the generated access tests.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { TRPCError } from '@trpc/server';
import { isDomainError } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { login } from '../auth/auth.service.ts';
import { SESSION_COOKIE } from '../http/cookies.ts';
import { appRouter } from '../trpc/app.router.ts';
import { contextFactory } from '../trpc/trpc.ts';

export type ProcedureKind = 'query' | 'mutation' | 'subscription';

/** Every procedure of the app router, by dotted path, with its kind. */
export function listProcedures(): { path: string; kind: ProcedureKind }[] {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: ProcedureKind } }
  >;
  return Object.entries(procedures)
    .map(([path, p]) => ({ path, kind: p._def.type }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export type CallOutcome =
  | { ok: true; data: unknown }
  /** `domainCode`: the stable code of the domain error behind it (AUTH.FORBIDDEN…), if any. */
  | { ok: false; code: string; domainCode: string | null; message: string };

export async function signIn(app: AppContext, email: string, password: string): Promise<string> {
  const { token } = await login(app, { email, password, ip: '127.0.0.1', userAgent: 'access-test' });
  return token;
}

function fakeRequest(token: string | null) {
  const req = new IncomingMessage(new Socket());
  req.headers = { 'user-agent': 'access-test', ...(token && { cookie: `${SESSION_COOKIE}=${token}` }) };
  return { req, res: new ServerResponse(req) };
}

/** Calls `path` with `input` as the holder of `token` (null: no session). Never throws a TRPCError. */
export async function callAs(
  app: AppContext,
  token: string | null,
  path: string,
  input: unknown,
): Promise<CallOutcome> {
  const { req, res } = fakeRequest(token);
  const ctx = await contextFactory(app)({ req, res, info: {} as never });
  const caller = appRouter.createCaller(ctx);
  let target: unknown = caller;
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key];
  try {
    const data: unknown = await (target as (i: unknown) => Promise<unknown>)(input);
    return { ok: true, data };
  } catch (e) {
    if (e instanceof TRPCError) {
      const domainCode = isDomainError(e.cause) ? e.cause.code : null;
      return { ok: false, code: e.code, domainCode, message: e.message };
    }
    throw e;
  }
}
