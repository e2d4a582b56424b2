// A tenant's SMS set-up: which provider (its own Twilio or Africa's Talking account, or the
// process-wide KASI_TWILIO_* default), its calling code, sender id and language. `smsSetup`
// reads no secret (the outbox asks it on every message); `openProvider` opens the sealed
// credentials in memory for the call at hand. Nothing here logs or returns a secret.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { smsSettings, type Executor, type SmsProviderKind } from '@kasi/db';
import { smsLanguageSchema, type SmsLanguage } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { smsEnvOf } from './sms-env.ts';
import { africasTalkingProvider, twilioProvider, type SmsProvider } from './sms-provider.ts';

export const SMS_SEAL = { config: 'sms.provider', hookToken: 'sms.hook_token' } as const;

export const hashHookToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const NOT_CONFIGURED = 'SMS not configured';
export const TURNED_OFF = 'SMS turned off by the operator';

/** What sealedConfig holds, per provider. */
export type SealedSmsConfig =
  | { provider: 'twilio'; accountSid: string; authToken: string }
  | { provider: 'africastalking'; username: string; apiKey: string; environment: 'live' | 'sandbox' };

export interface SmsSetup {
  row: typeof smsSettings.$inferSelect | null;
  /** The provider that would send now, or null with `waitReason`. */
  provider: SmsProviderKind | null;
  /** Why nothing can be sent now (not configured, turned off). */
  waitReason: string | null;
  countryCode: string | null;
  senderId: string | null;
  defaultLanguage: SmsLanguage;
}

export async function loadSmsRow(db: Executor, tenantId: string) {
  const [row] = await db.select().from(smsSettings).where(eq(smsSettings.tenantId, tenantId));
  return row ?? null;
}

export async function smsSetup(app: AppContext, db: Executor, tenantId: string): Promise<SmsSetup> {
  const env = smsEnvOf(app);
  const row = await loadSmsRow(db, tenantId);
  const kind: SmsProviderKind = row?.provider ?? 'default';
  let waitReason: string | null = null;
  if (row && !row.enabled) waitReason = TURNED_OFF;
  else if (kind === 'default' ? !env.defaultTwilio : !row?.sealedConfig) waitReason = NOT_CONFIGURED;
  return {
    row,
    provider: waitReason ? null : kind,
    waitReason,
    countryCode: row?.countryCode ?? env.countryCode,
    senderId: row?.senderId ?? null,
    defaultLanguage: smsLanguageSchema.catch('en').parse(row?.defaultLanguage ?? 'en'),
  };
}

export async function openSealedConfig(
  app: AppContext,
  db: Executor,
  tenantId: string,
  sealed: string,
): Promise<SealedSmsConfig> {
  return JSON.parse(await app.keyring.decrypt(db, tenantId, SMS_SEAL.config, sealed)) as SealedSmsConfig;
}

export interface OpenedProvider {
  provider: SmsProvider;
  kind: SmsProviderKind;
  /** Twilio's auth token, to check the signatures of its callbacks to this tenant. */
  twilioAuthToken: string | null;
}

/** The tenant's provider ready to send, or null when SMS is not configured or turned off. */
export async function openProvider(
  app: AppContext,
  db: Executor,
  tenantId: string,
  opts: { ignoreEnabled?: boolean } = {},
): Promise<OpenedProvider | null> {
  const env = smsEnvOf(app);
  const setup = await smsSetup(app, db, tenantId);
  if (!setup.provider && !(opts.ignoreEnabled && setup.waitReason === TURNED_OFF)) return null;
  const kind = setup.row?.provider ?? 'default';
  if (kind === 'default') {
    const d = env.defaultTwilio;
    if (!d) return null;
    const from = setup.senderId ?? d.from;
    return { kind, provider: twilioProvider({ ...d, from }), twilioAuthToken: d.authToken };
  }
  if (!setup.row?.sealedConfig) return null;
  const c = await openSealedConfig(app, db, tenantId, setup.row.sealedConfig);
  if (c.provider === 'twilio') {
    if (!setup.senderId) return null;
    return {
      kind,
      provider: twilioProvider({
        accountSid: c.accountSid,
        authToken: c.authToken,
        from: setup.senderId,
        apiUrl: env.endpoints.twilio,
      }),
      twilioAuthToken: c.authToken,
    };
  }
  return {
    kind,
    provider: africasTalkingProvider({
      username: c.username,
      apiKey: c.apiKey,
      from: setup.senderId,
      baseUrl: env.endpoints.africastalking[c.environment],
    }),
    twilioAuthToken: null,
  };
}

/** The auth token Twilio signs this tenant's callbacks with (its own account or the default). */
export async function twilioTokenFor(app: AppContext, db: Executor, tenantId: string, kind: SmsProviderKind) {
  if (kind === 'default') return smsEnvOf(app).defaultTwilio?.authToken ?? null;
  if (kind !== 'twilio') return null;
  const row = await loadSmsRow(db, tenantId);
  if (!row?.sealedConfig) return null;
  const c = await openSealedConfig(app, db, tenantId, row.sealedConfig);
  return c.provider === 'twilio' ? c.authToken : null;
}
