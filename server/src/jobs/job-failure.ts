// What a handler throws when a job cannot be done now. The message is stored in
// jobs.last_error for the operator, so it must never hold secrets, phone numbers, codes or
// message bodies: handlers build it from status codes and provider error numbers only.

export class JobFailure extends Error {
  /** Retrying cannot help (bad number, opted out): give up now. */
  readonly permanent: boolean;

  constructor(safeMessage: string, opts: { permanent: boolean }) {
    super(safeMessage);
    this.name = 'JobFailure';
    this.permanent = opts.permanent;
  }
}

export const permanentFailure = (safeMessage: string) => new JobFailure(safeMessage, { permanent: true });
export const transientFailure = (safeMessage: string) => new JobFailure(safeMessage, { permanent: false });

/** Any error as something safe to store: a JobFailure's own words, otherwise only its type. */
export function describeFailure(err: unknown): { message: string; permanent: boolean } {
  if (err instanceof JobFailure) return { message: err.message, permanent: err.permanent };
  const name = err instanceof Error ? err.name : typeof err;
  return { message: `Unexpected ${name} (details in the server log)`, permanent: false };
}
