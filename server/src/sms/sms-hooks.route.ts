// SMS webhooks, outside tRPC (they need the raw form body):
//   POST /hooks/sms/twilio/status?m=<message id>   Twilio status callbacks (signed)
//   POST /hooks/sms/<token>/twilio/inbound          Twilio inbound messages (signed)
//   POST /hooks/sms/<token>/at/inbound              Africa's Talking inbound messages
//   POST /hooks/sms/<token>/at/delivery             Africa's Talking delivery reports
// Twilio signs with the account's auth token over the URL it was given — the configured public
// URL, not what this process sees behind a proxy. Africa's Talking signs nothing: the secret
// path token (128 random bits, stored hashed, one per tenant) is what proves the caller.
// Unknown paths and bad signatures get 403 and are counted per tenant and day (sms_hook_refusals).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, eq, sql } from 'drizzle-orm';
import twilio from 'twilio';
import {
  actForTenant,
  smsHookRefusals,
  smsMessages,
  smsSettings,
  withTenant,
  withTenantLookup,
} from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { hashHookToken, twilioTokenFor } from './sms-config.ts';
import { recordSmsDelivery } from './sms-delivery.ts';
import { smsEnvOf } from './sms-env.ts';
import { handleInbound } from './sms-inbound.ts';

export const SMS_HOOK_PREFIX = '/hooks/sms/';
const MAX_BODY = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isSmsHookPath = (url: string) => url.startsWith(SMS_HOOK_PREFIX);

/** The URLs to paste into the provider's console for this tenant. */
export function smsHookUrls(publicUrl: string, token: string) {
  const base = `${publicUrl.replace(/\/+$/, '')}${SMS_HOOK_PREFIX}${token}`;
  return {
    twilioInbound: `${base}/twilio/inbound`,
    africasTalkingInbound: `${base}/at/inbound`,
    africasTalkingDelivery: `${base}/at/delivery`,
  };
}

async function readForm(req: IncomingMessage): Promise<Record<string, string> | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

function answer(res: ServerResponse, status: number, text = '', type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type }).end(text);
}

let refusedWithoutTenant = 0;

/** Refused calls that named no tenant (unknown paths), since this process started. */
export const refusalsWithoutTenant = () => refusedWithoutTenant;

/**
 * Counts a refused call per tenant and day in the tenant's own rows; one that names no
 * tenant has no row it may write (row-level security) and is counted in this process and logged.
 */
export async function countRefusal(app: AppContext, tenantId: string | null, reason: string): Promise<void> {
  if (tenantId === null) {
    refusedWithoutTenant += 1;
    return;
  }
  await withTenant(tenantId, () =>
    app.db.execute(sql`
      insert into ${smsHookRefusals} (tenant_id, day, reason, count)
      values (${tenantId}, current_date, ${reason}, 1)
      on conflict (coalesce(tenant_id::text, ''), day, reason)
      do update set count = ${smsHookRefusals}.count + 1`),
  );
}

async function tenantByToken(app: AppContext, token: string) {
  const [row] = await app.db
    .select({ tenantId: smsSettings.tenantId, provider: smsSettings.provider })
    .from(smsSettings)
    .where(eq(smsSettings.hookTokenHash, hashHookToken(token)));
  return row ?? null;
}

function twilioSigned(
  authToken: string | null,
  req: IncomingMessage,
  url: string,
  params: Record<string, string>,
) {
  const signature = req.headers['x-twilio-signature'];
  return (
    authToken !== null &&
    typeof signature === 'string' &&
    twilio.validateRequest(authToken, signature, url, params)
  );
}

export function smsHooksHandler(app: AppContext) {
  const log = app.log.child({ component: 'sms-hooks' });
  const refuse = async (res: ServerResponse, tenantId: string | null, reason: string) => {
    await countRefusal(app, tenantId, reason);
    log.warn({ tenantId, reason }, 'SMS webhook refused');
    answer(res, 403, 'Forbidden');
  };
  // No session here: the path token (or the signed URL) names the tenant, found through the
  // pre-tenant lookup; the handler then acts for it (ADR 0019).
  return (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    withTenantLookup(() => handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return answer(res, 405, 'POST only');
    try {
      const params = await readForm(req);
      if (!params) return answer(res, 413, 'Too large');
      const publicUrl = smsEnvOf(app).publicUrl;
      const url = `${publicUrl}${req.url ?? ''}`;
      const path = new URL(url).pathname.slice(SMS_HOOK_PREFIX.length).split('/');

      if (path[0] === 'twilio' && path[1] === 'status' && path.length === 2) {
        // The URL names the tenant and the message; Twilio's signature over it proves both.
        const query = new URL(url).searchParams;
        const messageId = query.get('m') ?? '';
        const tenantId = query.get('t') ?? '';
        if (!UUID.test(messageId) || !UUID.test(tenantId)) return refuse(res, null, 'unknown message');
        actForTenant(tenantId);
        const [msg] = await app.db
          .select({ tenantId: smsMessages.tenantId, provider: smsMessages.provider })
          .from(smsMessages)
          .where(and(eq(smsMessages.tenantId, tenantId), eq(smsMessages.id, messageId)));
        if (!msg?.provider) return refuse(res, null, 'unknown message');
        const token = await twilioTokenFor(app, app.db, msg.tenantId, msg.provider);
        if (!twilioSigned(token, req, url, params)) return refuse(res, msg.tenantId, 'bad signature');
        const { MessageSid: sid, MessageStatus: status, ErrorCode: errorCode } = params;
        if (sid && status) {
          await recordSmsDelivery(app.db, {
            tenantId: msg.tenantId,
            providers: ['twilio', 'default'],
            messageId,
            providerMessageId: sid,
            status,
            errorCode: errorCode || null,
          });
        }
        return answer(res, 204);
      }

      const [token = '', provider, action] = path;
      const found = path.length === 3 ? await tenantByToken(app, token) : null;
      if (!found) return refuse(res, null, 'unknown path');
      actForTenant(found.tenantId);

      if (provider === 'twilio' && action === 'inbound') {
        const authToken = await twilioTokenFor(app, app.db, found.tenantId, found.provider);
        if (!twilioSigned(authToken, req, url, params)) return refuse(res, found.tenantId, 'bad signature');
        const { MessageSid: sid, From: from, Body: body } = params;
        if (sid && from) {
          await handleInbound(app, {
            tenantId: found.tenantId,
            provider: found.provider,
            providerMessageId: sid,
            from,
            text: body ?? '',
          });
        }
        // The reply goes through the outbox; an empty TwiML answer sends nothing more.
        return answer(res, 200, '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', 'text/xml');
      }
      if (provider === 'at' && action === 'inbound') {
        const { id, from, text } = params;
        if (!id || !from) return answer(res, 400, 'id and from are required');
        await handleInbound(app, {
          tenantId: found.tenantId,
          provider: 'africastalking',
          providerMessageId: id,
          from,
          text: text ?? '',
        });
        return answer(res, 200);
      }
      if (provider === 'at' && action === 'delivery') {
        const { id, status, failureReason } = params;
        if (id && status) {
          await recordSmsDelivery(app.db, {
            tenantId: found.tenantId,
            providers: ['africastalking'],
            providerMessageId: id,
            status,
            errorCode: failureReason || null,
          });
        }
        return answer(res, 200);
      }
      return refuse(res, found.tenantId, 'unknown path');
    } catch (err) {
      log.error({ err }, 'SMS webhook failed');
      if (!res.headersSent) answer(res, 500);
    }
  }
}
