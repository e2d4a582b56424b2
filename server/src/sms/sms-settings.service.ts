// An operator's SMS settings: the provider (the server's default Twilio account, their own
// Twilio, or Africa's Talking), credentials sealed under the tenant key (write-only: never
// returned or logged; the audit row says they changed, not to what), calling code, sender id,
// language, the bulk approval threshold, on/off, and a test SMS that goes through the outbox
// like any other message and reports its fate at once.
import { randomBytes } from 'node:crypto';
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import { smsHookRefusals, smsSettings, writeAudit } from '@kasi/db';
import { can, invalid, smsSettingsInput, type SmsSettingsInput } from '@kasi/domain';
import { z } from 'zod';
import type { Actor, AppContext } from '../app-context.ts';
import { requirePermission } from '../authorize.ts';
import { auditActor } from '../audit/audit-actor.ts';
import {
  hashHookToken,
  loadSmsRow,
  openProvider,
  openSealedConfig,
  smsSetup,
  SMS_SEAL,
  type SealedSmsConfig,
} from './sms-config.ts';
import { smsEnvOf } from './sms-env.ts';
import { smsHookUrls } from './sms-hooks.route.ts';
import { queueSms, releaseWaiting, waitingCount } from './sms-outbox.ts';
import { deliverMessage } from './sms-send.job.ts';
import { toE164 } from './phone-number.ts';

/** A typed error naming the field it is about (`details.field`). */
export function fieldError(path: string, message: string) {
  return invalid('SMS.INVALID_FIELD', message, { field: path });
}

export async function getSmsSettings(app: AppContext, actor: Actor) {
  requirePermission(actor, 'subscriber.read');
  const env = smsEnvOf(app);
  const setup = await smsSetup(app, app.db, actor.tenantId);
  const row = setup.row;
  const manager = can(actor.role, 'tenant.manage');
  const hookToken =
    row && manager
      ? await app.keyring.decrypt(app.db, actor.tenantId, SMS_SEAL.hookToken, row.sealedHookToken)
      : null;
  const [refused] = await app.db
    .select({ n: sql<number>`coalesce(sum(${smsHookRefusals.count}), 0)::int` })
    .from(smsHookRefusals)
    .where(
      and(eq(smsHookRefusals.tenantId, actor.tenantId), gte(smsHookRefusals.day, sql`current_date - 6`)),
    );
  let environment: 'live' | 'sandbox' | null = null;
  if (row?.provider === 'africastalking' && row.sealedConfig && manager) {
    const c = await openSealedConfig(app, app.db, actor.tenantId, row.sealedConfig);
    environment = c.provider === 'africastalking' ? c.environment : null;
  }
  return {
    provider: row?.provider ?? 'default',
    enabled: row?.enabled ?? true,
    configured: setup.provider !== null,
    waitReason: setup.waitReason,
    hasCredentials: row?.sealedConfig != null,
    environment,
    /** The server has KASI_TWILIO_* (the `default` provider works). */
    defaultAvailable: env.defaultTwilio !== null,
    countryCode: setup.countryCode,
    senderId: setup.senderId,
    defaultLanguage: setup.defaultLanguage,
    bulkApprovalThreshold: row?.bulkApprovalThreshold ?? null,
    lastTestedAt: row?.lastTestedAt ?? null,
    lastTestOk: row?.lastTestOk ?? null,
    waiting: await waitingCount(app.db, actor.tenantId),
    refusedWebhooks7d: refused?.n ?? 0,
    webhookUrls: hookToken ? smsHookUrls(env.publicUrl, hookToken) : null,
  };
}

function sealedFrom(v: SmsSettingsInput, stored: SealedSmsConfig | null): SealedSmsConfig | null {
  if (v.provider === 'default') return null;
  if (v.provider === 'twilio') {
    const prev = stored?.provider === 'twilio' ? stored : null;
    const accountSid = v.accountSid ?? prev?.accountSid;
    const authToken = v.authToken ?? prev?.authToken;
    if (!accountSid) throw fieldError('accountSid', 'Enter the Twilio account SID');
    if (!authToken) throw fieldError('authToken', 'Enter the Twilio auth token');
    if (!v.senderId)
      throw fieldError(
        'senderId',
        'Enter the Twilio number, sender id or Messaging Service SID to send from',
      );
    return { provider: 'twilio', accountSid, authToken };
  }
  const prev = stored?.provider === 'africastalking' ? stored : null;
  const username = v.username ?? prev?.username;
  const apiKey = v.apiKey ?? prev?.apiKey;
  if (!username) throw fieldError('username', "Enter your Africa's Talking username");
  if (!apiKey) throw fieldError('apiKey', "Enter your Africa's Talking API key");
  return { provider: 'africastalking', username, apiKey, environment: v.environment };
}

export async function setSmsSettings(app: AppContext, actor: Actor, input: SmsSettingsInput) {
  requirePermission(actor, 'tenant.manage');
  const v = smsSettingsInput.parse(input);
  if (v.provider === 'default' && !smsEnvOf(app).defaultTwilio) {
    throw fieldError(
      'provider',
      "This server has no SMS account of its own (KASI_TWILIO_*): choose Twilio or Africa's Talking",
    );
  }
  return app.db.transaction(async (tx) => {
    const row = await loadSmsRow(tx, actor.tenantId);
    const stored = row?.sealedConfig
      ? await openSealedConfig(app, tx, actor.tenantId, row.sealedConfig)
      : null;
    const config = sealedFrom(v, stored);
    const changedCredentials = config !== null && JSON.stringify(config) !== JSON.stringify(stored);
    const sealedConfig = config
      ? await app.keyring.encrypt(tx, actor.tenantId, SMS_SEAL.config, JSON.stringify(config))
      : null;
    const values = {
      provider: v.provider,
      sealedConfig,
      countryCode: v.countryCode,
      senderId: v.senderId,
      defaultLanguage: v.defaultLanguage,
      bulkApprovalThreshold: v.bulkApprovalThreshold,
      updatedAt: new Date(),
    };
    if (row) {
      await tx
        .update(smsSettings)
        .set({ ...values, ...(changedCredentials && { lastTestedAt: null, lastTestOk: null }) })
        .where(eq(smsSettings.id, row.id));
    } else {
      // The secret path segment of this tenant's SMS webhook URLs: 128 random bits.
      const token = randomBytes(16).toString('base64url');
      await tx.insert(smsSettings).values({
        tenantId: actor.tenantId,
        ...values,
        hookTokenHash: hashHookToken(token),
        sealedHookToken: await app.keyring.encrypt(tx, actor.tenantId, SMS_SEAL.hookToken, token),
      });
    }
    const released = await releaseWaiting(app, tx, actor.tenantId);
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'sms.settings.set',
      entityType: 'sms_settings',
      entityId: actor.tenantId,
      after: {
        provider: v.provider,
        credentials: changedCredentials ? 'changed' : 'kept',
        countryCode: v.countryCode,
        senderId: v.senderId,
        defaultLanguage: v.defaultLanguage,
        bulkApprovalThreshold: v.bulkApprovalThreshold,
      },
    });
    return { provider: v.provider, released };
  });
}

export const smsEnabledInput = z.object({ enabled: z.boolean() });

export async function setSmsEnabled(app: AppContext, actor: Actor, input: { enabled: boolean }) {
  requirePermission(actor, 'tenant.manage');
  const v = smsEnabledInput.parse(input);
  return app.db.transaction(async (tx) => {
    const [row] = await tx
      .update(smsSettings)
      .set({ enabled: v.enabled, updatedAt: new Date() })
      .where(eq(smsSettings.tenantId, actor.tenantId))
      .returning({ id: smsSettings.id });
    if (!row) throw invalid('SMS.NOT_SET', 'Save the SMS settings first');
    const released = v.enabled ? await releaseWaiting(app, tx, actor.tenantId) : 0;
    await writeAudit(tx, {
      ...auditActor(actor),
      action: v.enabled ? 'sms.enable' : 'sms.disable',
      entityType: 'sms_settings',
      entityId: actor.tenantId,
    });
    return { enabled: v.enabled, released };
  });
}

export const smsTestInput = z.object({ to: z.string().trim().min(1, 'Enter a phone number') });

/** Sends the test message now (through the outbox) and says what happened. */
export async function sendTestSms(app: AppContext, actor: Actor, input: { to: string }) {
  requirePermission(actor, 'tenant.manage');
  const v = smsTestInput.parse(input);
  const setup = await smsSetup(app, app.db, actor.tenantId);
  if (!toE164(v.to, setup.countryCode)) {
    throw fieldError(
      'to',
      setup.countryCode
        ? 'Not a phone number Kasi can text: use +country code and number'
        : 'Use the international form (+254…), or set the country calling code first',
    );
  }
  const opened = await openProvider(app, app.db, actor.tenantId);
  if (!opened) throw invalid('SMS.NOT_CONFIGURED', setup.waitReason ?? 'SMS is not configured');
  const queued = await app.db.transaction(async (tx) => {
    const q = await queueSms(app, tx, { tenantId: actor.tenantId, to: v.to, event: 'test', vars: {} });
    await writeAudit(tx, {
      ...auditActor(actor),
      action: 'sms.test',
      entityType: 'sms_message',
      entityId: q.id,
    });
    return q;
  });
  let outcome: { status: string; reason: string | null };
  if (queued.status === 'skipped') outcome = { status: 'skipped', reason: queued.reason ?? null };
  else {
    try {
      const r = await deliverMessage(app, actor.tenantId, queued.id, { finalAttempt: false });
      outcome =
        r.outcome === 'sent' ? { status: 'sent', reason: null } : { status: r.outcome, reason: r.reason };
    } catch (e) {
      // Transient: the queued job retries; the operator sees why it has not gone yet.
      outcome = { status: 'queued', reason: e instanceof Error ? e.message : 'will retry' };
    }
  }
  await app.db
    .update(smsSettings)
    .set({ lastTestedAt: new Date(), lastTestOk: outcome.status === 'sent' })
    .where(eq(smsSettings.tenantId, actor.tenantId));
  return { messageId: queued.id, ...outcome };
}

/** The latest refused webhook days, for the settings page. */
export async function recentRefusals(app: AppContext, actor: Actor) {
  requirePermission(actor, 'tenant.manage');
  return app.db
    .select({ day: smsHookRefusals.day, reason: smsHookRefusals.reason, count: smsHookRefusals.count })
    .from(smsHookRefusals)
    .where(eq(smsHookRefusals.tenantId, actor.tenantId))
    .orderBy(desc(smsHookRefusals.day))
    .limit(30);
}
