// The server's configuration, read from the environment once and validated.
// Nothing else in the server reads process.env.
import { resolve } from 'node:path';
import { z } from 'zod';
import { isProxyEntry } from './http/client-address.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  /** The server's own login (a member of kasi_app); absent: DATABASE_URL acting as kasi_app (ADR 0019). */
  KASI_APP_DATABASE_URL: z.string().url().optional(),
  KASI_DATA_DIR: z.string().default('.data'),
  KASI_EMBEDDED_PG_PORT: port.default(54329),
  KASI_HTTP_HOST: z.string().default('127.0.0.1'),
  KASI_HTTP_PORT: port.default(3000),
  KASI_PUBLIC_URL: z.string().url().optional(),
  /** Reverse proxies (addresses/CIDRs) whose X-Forwarded-For names the client; none by default. */
  KASI_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.every(isProxyEntry), 'comma-separated IP addresses or CIDRs'),
  KASI_HTTP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  KASI_WEB_DIR: z.string().default('web/build'),
  KASI_MASTER_KEY: z.string().optional(),
  KASI_MASTER_KEY_PREVIOUS: z.string().optional(),
  KASI_RADIUSD: z.enum(['spawn', 'off']).default('spawn'),
  KASI_RADIUS_AUTH_PORT: port.default(1812),
  KASI_DEMO: bool.default(true),
  KASI_DEMO_ROUTER_PORT: port.default(18728),
  KASI_ROUTER_POLL_SECONDS: z.coerce.number().int().min(0).default(60),
  KASI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KASI_SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(12),
  KASI_JOB_POLL_SECONDS: z.coerce.number().min(0).default(5),
  KASI_JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  KASI_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  KASI_TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio account SID (AC + 32 hex digits)')
    .optional(),
  KASI_TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  /** A +E.164 number, an alphanumeric sender ID, or a Messaging Service SID (MG…). */
  KASI_TWILIO_FROM: z.string().min(1).optional(),
  KASI_TWILIO_API_URL: z.string().url().default('https://api.twilio.com'),
  /** Twilio Verify service (VA…): /my's sign-in codes are made, sent and checked by Verify (ADR 0023). */
  KASI_TWILIO_VERIFY_SERVICE_SID: z
    .string()
    .regex(/^VA[0-9a-fA-F]{32}$/, 'a Twilio Verify service SID (VA + 32 hex digits)')
    .optional(),
  KASI_TWILIO_VERIFY_API_URL: z.string().url().default('https://verify.twilio.com'),
  /** Replace Africa's Talking's API base URL (live and sandbox): a local fake in tests, an egress proxy. */
  KASI_AFRICASTALKING_API_URL: z.string().url().optional(),
  KASI_SMS_COUNTRY_CODE: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, 'a country calling code without + (e.g. 254)')
    .optional(),
  KASI_HOTSPOT_URL: z.string().url().default('http://hotspot.lan'),
  /** Replace Daraja's / Stripe's API base URL (a local fake in tests, an egress proxy). */
  KASI_MPESA_API_URL: z.string().url().optional(),
  KASI_STRIPE_API_URL: z.string().url().optional(),
  /** Replace PayPal's REST base URL (sandbox and live): a local fake in tests, an egress proxy. */
  KASI_PAYPAL_API_URL: z.string().url().optional(),
  KASI_AUDIT_HEAD_FILE: z.string().min(1).optional(),
  KASI_AUDIT_HEAD_WEBHOOK: z.string().url().optional(),
});

const TWILIO_KEYS = ['KASI_TWILIO_ACCOUNT_SID', 'KASI_TWILIO_AUTH_TOKEN', 'KASI_TWILIO_FROM'] as const;

/** Twilio is all three settings or none: half a configuration is a mistake worth stopping for. */
function twilioConfig(c: z.infer<typeof schema>) {
  const set = TWILIO_KEYS.filter((k) => c[k] !== undefined);
  if (set.length === 0) return null;
  if (set.length < TWILIO_KEYS.length) {
    throw new Error(`Invalid configuration:\n  set all of ${TWILIO_KEYS.join(', ')} or none`);
  }
  return {
    accountSid: c.KASI_TWILIO_ACCOUNT_SID ?? '',
    authToken: c.KASI_TWILIO_AUTH_TOKEN ?? '',
    from: c.KASI_TWILIO_FROM ?? '',
    apiUrl: c.KASI_TWILIO_API_URL.replace(/\/+$/, ''),
  };
}

/** Twilio Verify for one-time codes: the process-wide Twilio account plus a Verify service. */
function twilioVerifyConfig(c: z.infer<typeof schema>, twilio: ReturnType<typeof twilioConfig>) {
  if (!c.KASI_TWILIO_VERIFY_SERVICE_SID) return null;
  if (!twilio) {
    throw new Error(
      `Invalid configuration:\n  KASI_TWILIO_VERIFY_SERVICE_SID needs the Twilio account: set ${TWILIO_KEYS.join(', ')}`,
    );
  }
  return {
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    serviceSid: c.KASI_TWILIO_VERIFY_SERVICE_SID,
    apiUrl: c.KASI_TWILIO_VERIFY_API_URL.replace(/\/+$/, ''),
  };
}

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const dataDir = resolve(c.KASI_DATA_DIR);
  const twilio = twilioConfig(c);
  return {
    databaseUrl: c.DATABASE_URL,
    appDatabaseUrl: c.KASI_APP_DATABASE_URL,
    dataDir,
    embeddedPgPort: c.KASI_EMBEDDED_PG_PORT,
    http: {
      host: c.KASI_HTTP_HOST,
      port: c.KASI_HTTP_PORT,
      trustedProxies: c.KASI_TRUSTED_PROXIES,
      maxBodyBytes: c.KASI_HTTP_MAX_BODY_BYTES,
    },
    publicUrl: c.KASI_PUBLIC_URL ?? `http://localhost:${c.KASI_HTTP_PORT}`,
    webDir: resolve(c.KASI_WEB_DIR),
    masterKey: {
      key: c.KASI_MASTER_KEY,
      previous: c.KASI_MASTER_KEY_PREVIOUS,
      file: resolve(dataDir, 'master.key'),
    },
    radiusd: c.KASI_RADIUSD,
    radiusAuthPort: c.KASI_RADIUS_AUTH_PORT,
    demo: c.KASI_DEMO,
    demoRouterPort: c.KASI_DEMO_ROUTER_PORT,
    routerPollMs: c.KASI_ROUTER_POLL_SECONDS * 1000,
    logLevel: c.KASI_LOG_LEVEL,
    sessionTtlMs: c.KASI_SESSION_TTL_HOURS * 3_600_000,
    jobs: { pollMs: c.KASI_JOB_POLL_SECONDS * 1000, maxAttempts: c.KASI_JOB_MAX_ATTEMPTS },
    jobRetentionDays: c.KASI_JOB_RETENTION_DAYS,
    audit: {
      headFile: resolve(dataDir, c.KASI_AUDIT_HEAD_FILE ?? 'audit-heads.log'),
      headWebhook: c.KASI_AUDIT_HEAD_WEBHOOK ?? null,
    },
    payments: {
      mpesaApiUrl: c.KASI_MPESA_API_URL ?? null,
      stripeApiUrl: c.KASI_STRIPE_API_URL ?? null,
      paypalApiUrl: c.KASI_PAYPAL_API_URL ?? null,
    },
    sms: {
      twilio,
      /** Null: Kasi makes /my's codes itself and sends them through the SMS outbox. */
      verify: twilioVerifyConfig(c, twilio),
      countryCode: c.KASI_SMS_COUNTRY_CODE ?? null,
      twilioApiUrl: c.KASI_TWILIO_API_URL.replace(/\/+$/, ''),
      africasTalkingApiUrl: c.KASI_AFRICASTALKING_API_URL?.replace(/\/+$/, '') ?? null,
      hotspotUrl: c.KASI_HOTSPOT_URL.replace(/\/+$/, ''),
    },
  };
}
