// Form rules for the account page that only the browser can check (the two new-password
// fields agree; nothing is empty). Password strength is the server's rule, reported per field.
import type { FieldErrors } from './errors.ts';
import type { Parsed } from './form-input.ts';
import { m } from '#lib/i18n/locale.ts';

export interface NewPasswordFields {
  newPassword: string;
  repeat: string;
}

function newPasswordErrors(f: NewPasswordFields): FieldErrors {
  if (!f.newPassword) return { newPassword: m.console_shell_choose_new_password() };
  if (f.newPassword !== f.repeat) return { repeat: m.console_shell_passwords_differ() };
  return {};
}

export function toPasswordChange(
  f: NewPasswordFields & { currentPassword: string },
): Parsed<{ currentPassword: string; newPassword: string }> {
  const errors: FieldErrors = {
    ...(f.currentPassword ? {} : { currentPassword: m.console_shell_enter_current_password() }),
    ...newPasswordErrors(f),
  };
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { currentPassword: f.currentPassword, newPassword: f.newPassword } };
}

export function toPasswordReset(
  token: string,
  f: NewPasswordFields,
): Parsed<{ token: string; newPassword: string }> {
  const errors = newPasswordErrors(f);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { token, newPassword: f.newPassword } };
}

export function toCode(code: string): Parsed<{ code: string }> {
  const value = code.trim();
  return value
    ? { ok: true, value: { code: value } }
    : { ok: false, errors: { code: m.console_shell_enter_code() } };
}

/** "Chrome on Android" from a user agent; the raw string when nothing familiar is in it. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return m.console_shell_unknown_device();
  const browser = (
    [
      [/Edg\//, 'Edge'],
      [/Firefox\//, 'Firefox'],
      [/Chrom(e|ium)\//, 'Chrome'],
      [/Safari\//, 'Safari'],
    ] as const
  ).find(([re]) => re.test(userAgent))?.[1];
  const system = (
    [
      [/Android/, 'Android'],
      [/iPhone|iPad/, 'iOS'],
      [/Windows/, 'Windows'],
      [/Mac OS X/, 'macOS'],
      [/Linux/, 'Linux'],
    ] as const
  ).find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return m.console_shell_device_on({ browser, system });
  return browser ?? system ?? userAgent.slice(0, 60);
}

/** The codes as a plain list to copy or print. */
export const recoveryCodesText = (codes: string[]) =>
  `Kasi recovery codes (each works once)\n\n${codes.join('\n')}\n`;
