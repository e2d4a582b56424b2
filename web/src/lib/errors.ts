// The one place where a failure becomes something to show a person. Every API call,
// load function and form goes through here, so messages read the same everywhere and
// raw stack traces or internal details never reach the screen.
import { isTRPCClientError, type TRPCClientError } from '@trpc/client';
import { error, redirect } from '@sveltejs/kit';
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import type { AppRouter } from '@kasi/server';

/** Messages keyed by input path ("name", "downloadBps", "burst.timeSeconds"). */
export type FieldErrors = Record<string, string>;

export interface UiError {
  message: string;
  fields: FieldErrors;
  /** The session is missing or expired: the person has to log in again. */
  signedOut: boolean;
  status: number;
}

type ApiError = TRPCClientError<AppRouter>;

const OFFLINE = 'Cannot reach Kasi. Check your connection and try again.';

export function describeError(e: unknown): UiError {
  if (isTRPCClientError<AppRouter>(e)) return describeApiError(e);
  if (typeof navigator !== 'undefined' && !navigator.onLine) return plain(OFFLINE, 503);
  return plain('Something went wrong in the app. Reload the page and try again.', 500);
}

function describeApiError(e: ApiError): UiError {
  const data = e.data;
  if (!data) {
    // No error shape: the request never reached tRPC (offline, proxy error, refused origin).
    return plain(navigator.onLine ? 'Kasi answered unexpectedly. Try again in a moment.' : OFFLINE, 503);
  }
  const fields = Object.fromEntries((data.issues ?? []).map((i) => [i.path.join('.'), i.message]));
  // An UNAUTHORIZED without a domain code means "no session"; a wrong password carries
  // AUTH.INVALID_CREDENTIALS and must be shown, not turned into a redirect.
  const signedOut = data.code === 'UNAUTHORIZED' && !data.domain;
  let message = e.message;
  if (signedOut) message = 'Please log in again.';
  else if (data.issues?.length) message = 'Please correct the highlighted fields.';
  else if (data.code === 'TOO_MANY_REQUESTS') message = withRetryHint(e.message, data.domain?.details);
  return { message, fields, signedOut, status: data.httpStatus };
}

function withRetryHint(message: string, details: Record<string, unknown> | null | undefined): string {
  const seconds = Number(details?.['retryAfterSeconds']);
  if (!Number.isFinite(seconds) || seconds <= 0) return message;
  const minutes = Math.ceil(seconds / 60);
  return `${message.replace(/\.$/, '')} (in about ${minutes} minute${minutes === 1 ? '' : 's'}).`;
}

function plain(message: string, status: number): UiError {
  return { message, fields: {}, signedOut: false, status };
}

/** For event handlers: describes the error and sends a signed-out person to the login page. */
export function handleError(e: unknown): UiError {
  const ui = describeError(e);
  if (ui.signedOut) void goto(resolve('/login'));
  return ui;
}

/** For load functions: redirects a signed-out person, otherwise shows the error page. */
export function failLoad(e: unknown): never {
  const ui = describeError(e);
  if (ui.signedOut) redirect(303, resolve('/login'));
  // A load's input comes from the address bar, so rejected input means a wrong address.
  if (Object.keys(ui.fields).length > 0) error(404, 'This address does not lead anywhere in Kasi.');
  error(ui.status >= 400 ? ui.status : 500, ui.message);
}
