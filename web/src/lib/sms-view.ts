// What the SMS pages show: a message's status in plain words, what it cost, and the settings
// form's text fields turned into the shared @kasi/domain input (credentials stay write-only:
// blank means "keep what is stored").
import { smsSettingsInput, type SmsSettingsInput } from '@kasi/domain';
import { validate, blankToNull, wholeNumber, type Parsed } from './form-input.ts';
import type { FieldErrors } from './errors.ts';
import { m } from './i18n/locale.ts';

export type Tone = 'ok' | 'warn' | 'danger' | '';

export function smsBadge(status: string): { label: string; tone: Tone } {
  switch (status) {
    case 'delivered':
      return { label: m.console_sms_st_delivered(), tone: 'ok' };
    case 'sent':
      return { label: m.console_sms_st_sent(), tone: 'ok' };
    case 'failed':
      return { label: m.console_sms_st_failed(), tone: 'danger' };
    case 'skipped':
      return { label: m.console_sms_st_skipped(), tone: 'warn' };
    case 'sending':
      return { label: m.console_sms_st_sending(), tone: '' };
    default:
      return { label: m.console_sms_st_queued(), tone: 'warn' };
  }
}

/** Millionths of a currency unit as the provider reported them ("KES 0.80"); no floats. */
export function smsCost(micros: bigint | null, currency: string | null): string {
  if (micros === null) return '—';
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / 1_000_000n;
  const frac = (abs % 1_000_000n)
    .toString()
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${currency ? `${currency} ` : ''}${negative ? '-' : ''}${whole}.${frac.padEnd(2, '0')}`;
}

export interface SmsSettingsFields {
  provider: 'default' | 'twilio' | 'africastalking';
  environment: 'live' | 'sandbox';
  accountSid: string;
  authToken: string;
  username: string;
  apiKey: string;
  countryCode: string;
  senderId: string;
  defaultLanguage: 'en' | 'sw';
  bulkApprovalThreshold: string;
}

export const emptySmsSettings = (): SmsSettingsFields => ({
  provider: 'africastalking',
  environment: 'live',
  accountSid: '',
  authToken: '',
  username: '',
  apiKey: '',
  countryCode: '',
  senderId: '',
  defaultLanguage: 'en',
  bulkApprovalThreshold: '',
});

const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());

export function toSmsSettings(f: SmsSettingsFields): Parsed<SmsSettingsInput> {
  const known: FieldErrors = {};
  let threshold: number | null = null;
  if (f.bulkApprovalThreshold.trim() !== '') {
    const n = wholeNumber(f.bulkApprovalThreshold);
    if (n === undefined) known['bulkApprovalThreshold'] = m.console_sms_threshold_error();
    else threshold = n;
  }
  const common = {
    countryCode: blankToNull(f.countryCode),
    senderId: blankToNull(f.senderId),
    defaultLanguage: f.defaultLanguage,
    bulkApprovalThreshold: threshold,
  };
  const candidate =
    f.provider === 'default'
      ? { provider: 'default', ...common }
      : f.provider === 'twilio'
        ? {
            provider: 'twilio',
            ...common,
            accountSid: optional(f.accountSid),
            authToken: optional(f.authToken),
          }
        : {
            provider: 'africastalking',
            ...common,
            environment: f.environment,
            username: optional(f.username),
            apiKey: optional(f.apiKey),
          };
  return validate(smsSettingsInput, candidate, known);
}
