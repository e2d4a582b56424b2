// radiusd's logger, and what of an error it may write. The values a failed statement was run
// with are credentials here (a voucher's code is its user name and its password), and drizzle
// puts them into its error's message and stack, so errors are logged by this module's own
// serializer: PostgreSQL's code and message, the statement without its parameters, and stack
// frames without the message line. A user is named in a log only as maskUserName (@kasi/radius) shows them.
import { pino, type DestinationStream, type Logger } from 'pino';
import { DrizzleQueryError } from 'drizzle-orm/errors';

export interface LoggedError {
  type: string;
  message?: string;
  code?: string;
  severity?: string;
  routine?: string;
  query?: string;
  stack?: string;
  cause?: LoggedError;
  errors?: LoggedError[];
}

const MAX_DEPTH = 4;

/** PostgreSQL's data exceptions (class 22) quote the value they refused: keep only the code. */
const quotesInput = (code: string | undefined) => code?.startsWith('22') === true;

/** A drizzle query error from another copy of drizzle-orm fails instanceof but has the same shape. */
const isQueryError = (e: Error): e is DrizzleQueryError =>
  'params' in e && 'query' in e && typeof e.query === 'string';

export function describeError(e: unknown, depth = 0): LoggedError {
  if (!(e instanceof Error)) return { type: typeof e };
  const fields = e as Error & { code?: unknown; severity?: unknown; routine?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const out: LoggedError = { type: e.constructor.name || e.name };
  if (e instanceof DrizzleQueryError || isQueryError(e)) {
    out.message = 'Failed query';
    out.query = e.query;
  } else if (!(e.name === 'PostgresError' && quotesInput(code))) {
    out.message = e.message;
  }
  if (code) out.code = code;
  if (typeof fields.severity === 'string') out.severity = fields.severity;
  if (typeof fields.routine === 'string') out.routine = fields.routine;
  const frames = e.stack?.split('\n').filter((line) => /^\s+at /.test(line));
  if (frames?.length) out.stack = frames.join('\n');
  if (depth < MAX_DEPTH) {
    if (e.cause !== undefined) out.cause = describeError(e.cause, depth + 1);
    if (e instanceof AggregateError) out.errors = e.errors.map((x: unknown) => describeError(x, depth + 1));
  }
  return out;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    name: 'radiusd',
    level,
    redact: ['secret', '*.secret'],
    serializers: { err: describeError },
  };
  return destination ? pino(options, destination) : pino(options);
}
