// One place that turns an /api/my failure into words in the page's language.
import { m } from '#lib/i18n/locale.ts';
import { MyApiError } from './my-api.ts';

export function errorText(e: unknown): { text: string; field?: string } {
  if (!(e instanceof MyApiError)) return { text: m.my_error_generic() };
  if (e.code === 'OFFLINE') return { text: m.my_error_offline() };
  if (e.status === 429) return { text: m.my_error_throttled({ seconds: String(e.retryAfterSeconds ?? 60) }) };
  if (e.code === 'OTP.WRONG_CODE') return { text: m.my_error_code(), field: 'code' };
  if (e.code === 'OTP.BAD_PHONE') return { text: m.my_error_phone(), field: 'phone' };
  if (e.code === 'AUTH.BAD_CREDENTIALS') return { text: m.my_error_password(), field: 'password' };
  return { text: m.my_error_generic(), ...(e.field && { field: e.field }) };
}
