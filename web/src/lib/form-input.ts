// Turns what a person typed into the API's input shape, using the shared @kasi/domain
// schemas as the only source of rules. Errors come back per field, in plain words.
import { isDomainError } from '@kasi/domain';
import type { FieldErrors } from './errors.ts';
import { domainText } from './error-words.ts';
import { m } from '#lib/i18n/locale.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

interface Issue {
  code: string;
  path?: PropertyKey[];
  message?: string;
  input?: unknown;
  origin?: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  expected?: string;
  format?: string;
}

interface Schema<T> {
  safeParse(
    data: unknown,
    params?: { error?: (issue: Issue) => string | undefined },
  ): { success: true; data: T } | { success: false; error: { issues: Issue[] } };
}

/** Zod's default wording is for developers; these are for operators. Schema-level messages still win. */
function friendlyMessage(issue: Issue): string | undefined {
  const empty = issue.input === undefined || issue.input === null || issue.input === '';
  const chars = issue.origin === 'string';
  switch (issue.code) {
    case 'invalid_type':
      if (empty) return m.console_shell_required();
      return NUMERIC.has(issue.expected ?? '')
        ? m.console_errors_form_number()
        : m.console_shell_invalid_value();
    case 'too_small': {
      const n = String(issue.minimum);
      if (chars && issue.minimum === 1) return m.console_shell_required();
      if (chars) return m.console_shell_at_least_chars({ n });
      return issue.inclusive === false ? m.console_shell_more_than({ n }) : m.console_shell_at_least({ n });
    }
    case 'too_big': {
      const n = String(issue.maximum);
      if (chars) return m.console_shell_at_most_chars({ n });
      return issue.inclusive === false ? m.console_shell_less_than({ n }) : m.console_shell_at_most({ n });
    }
    case 'invalid_format':
      if (issue.format === 'email') return m.console_errors_form_email();
      if (issue.format === 'url') return m.console_errors_form_url();
      return m.console_shell_invalid_value();
    case 'invalid_value':
      return m.console_errors_form_choose();
    case 'not_multiple_of':
    case 'custom':
      return m.console_shell_invalid_value();
    default:
      return undefined;
  }
}

const NUMERIC = new Set(['number', 'int', 'bigint']);

/**
 * Validates `candidate` with a shared schema. `known` holds errors already found while
 * converting text (e.g. "10X" is not a speed); those win over the schema's message.
 */
export function validate<T>(schema: Schema<T>, candidate: unknown, known: FieldErrors = {}): Parsed<T> {
  const result = schema.safeParse(candidate, { error: friendlyMessage });
  if (result.success && Object.keys(known).length === 0) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = (issue.path ?? []).map(String).join('.');
      errors[key] ??= issue.message ?? m.console_shell_invalid_value();
    }
  }
  return { ok: false, errors: { ...errors, ...known } };
}

/** Runs a converter; a domain error (bad rate, bad amount) becomes that field's message. */
export function convert<T>(field: string, errors: FieldErrors, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!isDomainError(e)) throw e;
    errors[field] = domainText(e.code, e.message, e.details);
    return undefined;
  }
}

/** Optional text: empty means "not set". */
export const blankToNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

/** Whole numbers only; anything else is left for the schema to reject with a clear message. */
export function wholeNumber(text: string): number | undefined {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}

/**
 * Decimal text × unit in integer arithmetic, e.g. "1.5" × 3600 s → 5400n. `places` caps the
 * decimals typed; a fraction of a base unit (a part of a byte) is dropped. No floats.
 */
export function scaleDecimal(text: string, unit: bigint, places: number): bigint | undefined {
  const m = /^\s*(\d+)(?:[.,](\d+))?\s*$/.exec(text);
  if (!m || (m[2]?.length ?? 0) > places) return undefined;
  const denominator = 10n ** BigInt(places);
  return BigInt(m[1] ?? '0') * unit + (BigInt((m[2] ?? '').padEnd(places, '0')) * unit) / denominator;
}
