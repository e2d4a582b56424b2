// SMS events, their template variables and Kasi's built-in wording (English and Swahili),
// shared by the server (rendering, checks on save) and the console (live preview).
// A template is text with {variable} placeholders; only the event's variables may appear.
import { z } from 'zod';
import { smsTextInfo } from './gsm7.ts';

export const SMS_EVENTS = [
  'sale_receipt',
  'invoice_issued',
  'reminder',
  'suspended',
  'restored',
  'payment_received',
  'otp',
  'bulk',
  'inbound_reply',
  'test',
] as const;
export type SmsEvent = (typeof SMS_EVENTS)[number];

export const SMS_LANGUAGES = ['en', 'sw'] as const;
export type SmsLanguage = (typeof SMS_LANGUAGES)[number];

/** The variables each event's template may use (the sender fills them all). */
export const SMS_EVENT_VARIABLES: Readonly<Record<SmsEvent, readonly string[]>> = {
  sale_receipt: ['tenant', 'code', 'plan', 'hotspot_url'],
  invoice_issued: ['tenant', 'name', 'invoice', 'amount', 'due_date', 'pay_link'],
  reminder: ['tenant', 'name', 'amount', 'due_date', 'pay_link'],
  suspended: ['tenant', 'name', 'reason', 'pay_link'],
  restored: ['tenant', 'name', 'plan', 'expires'],
  payment_received: ['tenant', 'name', 'amount', 'balance', 'receipt'],
  otp: ['tenant', 'code', 'minutes'],
  bulk: ['tenant', 'name', 'message'],
  inbound_reply: ['tenant', 'text'],
  test: ['tenant'],
};

export const SMS_EVENT_LABELS: Readonly<Record<SmsEvent, string>> = {
  sale_receipt: 'Voucher sale receipt',
  invoice_issued: 'Invoice issued',
  reminder: 'Payment reminder',
  suspended: 'Account suspended',
  restored: 'Account restored',
  payment_received: 'Payment received',
  otp: 'One-time sign-in code',
  bulk: 'Bulk message',
  inbound_reply: 'Reply to an inbound SMS',
  test: 'Test message',
};

/** Kasi's wording when the operator saved none: every event in English and Swahili. */
export const BUILTIN_SMS_TEMPLATES: Readonly<Record<SmsLanguage, Readonly<Record<SmsEvent, string>>>> = {
  en: {
    sale_receipt:
      '{tenant}: Wi-Fi voucher {code} ({plan}). Join the Wi-Fi, open {hotspot_url} and log in with the code.',
    invoice_issued: '{tenant}: invoice {invoice} for {amount} is due {due_date}. Pay: {pay_link}',
    reminder: '{tenant}: {name}, {amount} is due {due_date}. Pay to stay connected: {pay_link}',
    suspended: '{tenant}: {name}, your internet is suspended ({reason}). Pay to restore it: {pay_link}',
    restored: '{tenant}: {name}, your internet is back on ({plan}) until {expires}.',
    payment_received: '{tenant}: we received {amount}, receipt {receipt}. Balance: {balance}. Thank you!',
    otp: '{code} is your {tenant} code. It expires in {minutes} minutes. Do not share it.',
    bulk: '{tenant}: {message}',
    inbound_reply: '{tenant}: {text}',
    test: '{tenant}: this is a test message from Kasi. SMS works.',
  },
  sw: {
    sale_receipt:
      '{tenant}: vocha ya Wi-Fi {code} ({plan}). Unganisha Wi-Fi, fungua {hotspot_url} na uingie kwa nambari hiyo.',
    invoice_issued: '{tenant}: ankara {invoice} ya {amount} inadaiwa {due_date}. Lipa: {pay_link}',
    reminder: '{tenant}: {name}, {amount} inadaiwa {due_date}. Lipa ili uendelee kuunganishwa: {pay_link}',
    suspended: '{tenant}: {name}, intaneti yako imesimamishwa ({reason}). Lipa ili irejeshwe: {pay_link}',
    restored: '{tenant}: {name}, intaneti yako imerejeshwa ({plan}) hadi {expires}.',
    payment_received: '{tenant}: tumepokea {amount}, risiti {receipt}. Salio: {balance}. Asante!',
    otp: '{code} ni nambari yako ya {tenant}. Itaisha baada ya dakika {minutes}. Usimpe mtu.',
    bulk: '{tenant}: {message}',
    inbound_reply: '{tenant}: {text}',
    test: '{tenant}: huu ni ujumbe wa majaribio kutoka Kasi. SMS inafanya kazi.',
  },
};

const PLACEHOLDER = /\{([^{}\s]*)\}/g;

/** The placeholders a template uses, each once, in order of appearance. */
export function templateVariables(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/** Placeholders the event does not fill (refused when saving). */
export function unknownTemplateVariables(event: SmsEvent, body: string): string[] {
  const known = new Set(SMS_EVENT_VARIABLES[event]);
  return templateVariables(body).filter((v) => !known.has(v));
}

/** Fills the placeholders; one with no value becomes empty (the caller logs `missing`). */
export function renderTemplate(
  body: string,
  vars: Readonly<Record<string, string>>,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = body.replace(PLACEHOLDER, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) missing.push(name);
    return v ?? '';
  });
  return { text, missing };
}

/** Sample values for the console's preview, as long as real ones usually are. */
export const SMS_SAMPLE_VARIABLES: Readonly<Record<string, string>> = {
  tenant: 'Acme WISP',
  code: 'KA7Q3MXRT',
  plan: 'Home 10M',
  hotspot_url: 'http://hotspot.lan',
  name: 'Amina',
  invoice: 'INV-000123',
  amount: 'KES 2,500.00',
  due_date: '14 Dec 2026',
  pay_link: 'https://kasi.example/p/Xb7kQ2mN9pLs',
  reason: 'unpaid invoice',
  expires: '14 Jan 2027',
  balance: 'KES 0.00',
  receipt: 'QKX3ABC12D',
  minutes: '5',
  message: 'Maintenance tonight 22:00-02:00 on tower 3.',
  text: 'Balance KES 0.00, paid up to 14 Jan 2027.',
};

/** What the preview shows: the text with sample values and how it would go out. */
export function previewTemplate(body: string) {
  const { text } = renderTemplate(body, SMS_SAMPLE_VARIABLES);
  return { text, ...smsTextInfo(text) };
}

export const smsEventSchema = z.enum(SMS_EVENTS);
export const smsLanguageSchema = z.enum(SMS_LANGUAGES);

/** Saving a template: unknown placeholders are refused here, not at send time. */
export const smsTemplateInput = z
  .object({
    event: smsEventSchema,
    language: smsLanguageSchema,
    body: z.string().trim().min(1, 'Write the message').max(918, 'At most 918 characters (6 segments)'),
  })
  .superRefine((v, ctx) => {
    const unknown = unknownTemplateVariables(v.event, v.body);
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: `Unknown variable${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{${u}}`).join(', ')}; this message can use ${SMS_EVENT_VARIABLES[v.event].map((u) => `{${u}}`).join(', ')}`,
      });
    }
  });
export type SmsTemplateInput = z.infer<typeof smsTemplateInput>;

const countryCode = z
  .string()
  .trim()
  .regex(/^\+?[1-9][0-9]{0,3}$/, 'A country calling code such as 254')
  .transform((s) => s.replace(/^\+/, ''));
const senderId = z
  .string()
  .trim()
  .regex(
    /^(\+[1-9][0-9]{6,14}|[A-Za-z0-9 ]{1,11}|[0-9]{3,8}|MG[0-9a-fA-F]{32})$/,
    'A number (+E.164), a short code, a Messaging Service SID or up to 11 letters and digits',
  );

const common = {
  countryCode: countryCode.nullable(),
  senderId: senderId.nullable(),
  defaultLanguage: smsLanguageSchema,
  bulkApprovalThreshold: z.number().int().min(1).max(1_000_000).nullable(),
};

/**
 * A tenant's SMS settings. Credentials are write-only: on an update of the same provider,
 * blank ones keep what is stored.
 */
export const smsSettingsInput = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('default'), ...common }),
  z.object({
    provider: z.literal('twilio'),
    ...common,
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'A Twilio account SID (AC + 32 hex digits)')
      .optional(),
    authToken: z.string().trim().min(16, 'The auth token from the Twilio console').optional(),
  }),
  z.object({
    provider: z.literal('africastalking'),
    ...common,
    environment: z.enum(['live', 'sandbox']),
    username: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, "Your Africa's Talking username (sandbox for the sandbox)")
      .optional(),
    apiKey: z.string().trim().min(16, "The API key from Africa's Talking").optional(),
  }),
]);
export type SmsSettingsInput = z.infer<typeof smsSettingsInput>;

/** Bulk recipients: every subscriber that matches all the given criteria and has a phone number. */
export const smsBulkFilter = z.object({
  planId: z.uuid().optional(),
  routerId: z.uuid().optional(),
  status: z.enum(['active', 'suspended', 'terminated']).optional(),
  tag: z.string().trim().min(1).max(40).optional(),
});
export type SmsBulkFilter = z.infer<typeof smsBulkFilter>;

export const smsBulkInput = z.object({
  filter: smsBulkFilter,
  message: z.string().trim().min(1, 'Write the message').max(612, 'At most 612 characters (4 segments)'),
});
