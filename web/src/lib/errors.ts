// The one place where a failure becomes something to show a person. Every API call,
// load function and form goes through here, so messages read the same everywhere and
// raw stack traces or internal details never reach the screen.
import { isApiError, type ApiError } from '#lib/rpc/client.ts';
import { error, redirect } from '@sveltejs/kit';
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { m } from '#lib/i18n/locale.ts';
import { domainText } from './error-words.ts';

export { loadErrorTexts } from './error-words.ts';

/** Messages keyed by input path ("name", "downloadBps", "burst.timeSeconds"). */
export type FieldErrors = Record<string, string>;

export interface UiError {
  message: string;
  fields: FieldErrors;
  /** The session is missing or expired: the person has to log in again. */
  signedOut: boolean;
  status: number;
}

export function describeError(e: unknown): UiError {
  if (isApiError(e)) return describeApiError(e);
  if (typeof navigator !== 'undefined' && !navigator.onLine) return plain(m.console_shell_offline(), 503);
  return plain(m.console_shell_app_failed(), 500);
}

function describeApiError(e: ApiError): UiError {
  const data = e.data;
  if (!data) {
    // No error shape: the request never reached tRPC (offline, proxy error, refused origin).
    return plain(navigator.onLine ? m.console_shell_unexpected() : m.console_shell_offline(), 503);
  }
  const fields = Object.fromEntries((data.issues ?? []).map((i) => [i.path.join('.'), i.message]));
  // An UNAUTHORIZED without a domain code means "no session"; a wrong password carries
  // AUTH.INVALID_CREDENTIALS and must be shown, not turned into a redirect.
  const signedOut = data.code === 'UNAUTHORIZED' && !data.domain;
  let message = data.domain ? domainText(data.domain.code, e.message, data.domain.details) : e.message;
  if (signedOut) message = m.console_shell_log_in_again();
  else if (data.issues?.length) message = m.console_shell_correct_fields();
  else if (data.code === 'TOO_MANY_REQUESTS') message = withRetryHint(message, data.domain?.details);
  return { message, fields, signedOut, status: data.httpStatus };
}

function withRetryHint(message: string, details: Record<string, unknown> | null | undefined): string {
  const seconds = Number(details?.['retryAfterSeconds']);
  if (!Number.isFinite(seconds) || seconds <= 0) return message;
  const minutes = Math.ceil(seconds / 60);
  return m.console_shell_retry_in({ message: message.replace(/\.$/, ''), minutes });
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
  if (Object.keys(ui.fields).length > 0) error(404, m.console_shell_bad_address());
  error(ui.status >= 400 ? ui.status : 500, ui.message);
}
