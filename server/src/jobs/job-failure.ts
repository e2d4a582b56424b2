// What a handler throws when a job cannot be done now. The message (and any detail) is stored
// in the job's output in pg-boss's tables for the operator, so it must never hold secrets,
// phone numbers, codes or message bodies: handlers build it from status codes and provider
// error numbers only, and put masked forms in `detail`.

export class JobFailure extends Error {
  /** Retrying cannot help (bad number, opted out): give up now. */
  readonly permanent: boolean;
  /** Safe fields kept with the failure (e.g. a masked number), merged into the job's output. */
  readonly detail: Readonly<Record<string, unknown>>;

  constructor(safeMessage: string, opts: { permanent: boolean; detail?: Record<string, unknown> }) {
    super(safeMessage);
    this.name = 'JobFailure';
    this.permanent = opts.permanent;
    this.detail = opts.detail ?? {};
  }
}

export const permanentFailure = (safeMessage: string, detail?: Record<string, unknown>) =>
  new JobFailure(safeMessage, { permanent: true, ...(detail && { detail }) });
export const transientFailure = (safeMessage: string, detail?: Record<string, unknown>) =>
  new JobFailure(safeMessage, { permanent: false, ...(detail && { detail }) });

/** Any error as something safe to store: a JobFailure's own words, otherwise only its type. */
export function describeFailure(err: unknown): {
  message: string;
  permanent: boolean;
  detail: Readonly<Record<string, unknown>>;
} {
  if (err instanceof JobFailure)
    return { message: err.message, permanent: err.permanent, detail: err.detail };
  const name = err instanceof Error ? err.name : typeof err;
  return { message: `Unexpected ${name} (details in the server log)`, permanent: false, detail: {} };
}
