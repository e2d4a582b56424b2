// The web app's tRPC client (ADR 0035): the calls the pages make, `api.plan.list.query()` and
// `api.plan.create.mutate(input)`, typed from the server's router by @trpc/client's own types
// (types only: nothing of @trpc/client reaches the browser). It speaks tRPC's HTTP batch
// protocol as httpBatchLink does: the calls of one tick go together, queries as one GET
// (`/trpc/a.b,c.d?batch=1&input={"0":…,"1":…}`), mutations as one POST, at most 20 to a
// request (the server's MAX_BATCH_CALLS), values in superjson's format (wire.ts). The
// library's links, observables and superjson were 10 KB gzip of the dashboard's first load.
import type { TRPCClient, TRPCClientErrorLike } from '@trpc/client';
import type { AppRouter } from '@kasi/server';
import { decode, encode, type Wire } from './wire.ts';

export type ApiErrorData = TRPCClientErrorLike<AppRouter>['data'];

/** A failed call. `data` is the server's error data, absent when no answer came from tRPC. */
export class ApiError extends Error {
  readonly data: ApiErrorData | undefined;
  constructor(message: string, data?: ApiErrorData, cause?: unknown) {
    super(message, { cause });
    this.name = 'ApiError';
    this.data = data;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** Calls per request; the server refuses larger batches (http-server.ts MAX_BATCH_CALLS). */
export const MAX_BATCH_CALLS = 20;

type Kind = 'query' | 'mutation';
interface Call {
  path: string;
  input: unknown;
  resolve: (value: unknown) => void;
  reject: (error: ApiError) => void;
}
type Answer = { result?: { data?: Wire }; error?: Wire } | null | undefined;

export function createApiClient(
  url: string,
  send: typeof fetch = (...a) => fetch(...a),
): TRPCClient<AppRouter> {
  const queues: Record<Kind, Call[]> = { query: [], mutation: [] };

  async function request(kind: Kind, calls: Call[]): Promise<void> {
    const body = JSON.stringify(Object.fromEntries(calls.map((c, i) => [i, encode(c.input)])));
    const paths = calls.map((c) => c.path).join(',');
    let answers: Answer[];
    try {
      const res = await (kind === 'query'
        ? send(`${url}/${paths}?batch=1&input=${encodeURIComponent(body)}`)
        : send(`${url}/${paths}?batch=1`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          }));
      const json = (await res.json()) as Answer | Answer[];
      // One answer for the whole request (a refused batch) stands for every call in it.
      answers = Array.isArray(json) ? json : calls.map(() => json);
    } catch (cause) {
      // No answer from tRPC: no signal, the server down, a proxy's page instead of JSON.
      for (const c of calls)
        c.reject(new ApiError(cause instanceof Error ? cause.message : 'No answer', undefined, cause));
      return;
    }
    calls.forEach((c, i) => settle(c, answers[i]));
  }

  function settle(call: Call, answer: Answer): void {
    try {
      if (answer?.error) {
        const shape = decode(answer.error) as { message?: unknown; data?: ApiErrorData } | null;
        const message = typeof shape?.message === 'string' ? shape.message : 'Unexpected answer';
        call.reject(new ApiError(message, shape?.data ?? undefined));
      } else if (answer?.result) {
        call.resolve(decode(answer.result.data ?? { json: undefined }));
      } else call.reject(new ApiError('Missing result'));
    } catch (cause) {
      call.reject(new ApiError('Unable to transform response from server', undefined, cause));
    }
  }

  function flush(kind: Kind): void {
    const calls = queues[kind].splice(0);
    for (let i = 0; i < calls.length; i += MAX_BATCH_CALLS)
      void request(kind, calls.slice(i, i + MAX_BATCH_CALLS));
  }

  function call(kind: Kind, path: string, input: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // The first call of a tick opens the batch; the rest of the tick's calls join it.
      if (queues[kind].push({ path, input, resolve, reject }) === 1) setTimeout(() => flush(kind));
    });
  }

  const node = (path: string[]): unknown =>
    new Proxy(
      {},
      {
        get(_, key) {
          // Not a thenable, and no symbol is a procedure.
          if (typeof key !== 'string' || key === 'then') return undefined;
          if (key === 'query' || key === 'mutate') {
            const kind: Kind = key === 'query' ? 'query' : 'mutation';
            return (input?: unknown) => call(kind, path.join('.'), input);
          }
          return node([...path, key]);
        },
      },
    );
  return node([]) as TRPCClient<AppRouter>;
}
