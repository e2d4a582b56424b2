// Provider webhooks, outside tRPC because they need the raw body: `/hooks/mm/<token>/…`
// (M-Pesa STK callback, C2B validation and confirmation), `/hooks/stripe/<token>` and
// `/hooks/paypal/<token>` (verified by a call to PayPal before anything is stored). The
// token names the tenant and is its secret (M-Pesa signs nothing). A bad token, signature or
// body stores nothing: 4xx and a log line without the body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cidrContains, parseCidr, parseIp } from '@kasi/domain';
import { WEBHOOK_MAX_BODY_BYTES } from '../http/body-limit.ts';
import { clientOrigin, trustedProxyList } from '../http/client-address.ts';
import type { GatewaySettings } from './gateway-settings.input.ts';
import { gatewayByHookTokenCached, openGatewayRow } from './gateway-factory.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { HOOKS_MM, HOOKS_PAYPAL, HOOKS_STRIPE } from './webhook-urls.ts';
import { receiveWebhook } from './webhook-inbox.ts';
import { receiveTransactionStatus } from './transaction-status.service.ts';
import type { MpesaGateway } from '@kasi/payments';
import { actForTenant, type GatewayKind } from '@kasi/db';

/** M-Pesa signs nothing: where the operator listed M-Pesa's addresses, only those may call. */
function fromAllowedSource(deps: PaymentDeps, req: IncomingMessage, settings: GatewaySettings): boolean {
  if (settings.gateway !== 'mpesa' || settings.allowedSources.length === 0) return true;
  const ip = parseIp(clientOrigin(req, trustedProxyList(deps.trustedProxies ?? [])).ip);
  if (!ip) return false;
  return settings.allowedSources.some((c) => {
    const range = parseCidr(c);
    return range !== null && cidrContains(range, ip);
  });
}

export const isPaymentHookPath = (url: string) =>
  url.startsWith(HOOKS_MM) || url.startsWith(HOOKS_STRIPE) || url.startsWith(HOOKS_PAYPAL);

type Route = {
  gateway: GatewayKind;
  token: string;
  action: 'stk' | 'validate' | 'confirm' | 'event' | 'status_result' | 'status_timeout';
};

const MM_ACTIONS: Record<string, Route['action']> = {
  stk: 'stk',
  'c2b/validate': 'validate',
  'c2b/confirm': 'confirm',
  'status/result': 'status_result',
  'status/timeout': 'status_timeout',
};

export function parseHookPath(url: string): Route | null {
  const path = url.split('?')[0] ?? '';
  const mm =
    /^\/hooks\/mm\/([\w-]{16,64})\/(stk|c2b\/validate|c2b\/confirm|status\/result|status\/timeout)$/.exec(
      path,
    );
  if (mm) return { gateway: 'mpesa', token: mm[1]!, action: MM_ACTIONS[mm[2]!]! };
  const named = /^\/hooks\/(stripe|paypal)\/([\w-]{16,64})$/.exec(path);
  return named ? { gateway: named[1] as 'stripe' | 'paypal', token: named[2]!, action: 'event' } : null;
}

/**
 * The body, or null past WEBHOOK_MAX_BODY_BYTES (then reading stops: the 413 goes out and the
 * connection is closed, body-limit.ts). Read from its events: `for await` over the request
 * built an async iterator and a promise per chunk, on the path every delivery takes.
 */
function readRaw(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= WEBHOOK_MAX_BODY_BYTES) return void chunks.push(chunk);
      done();
      req.pause();
      resolve(null);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onClose = () => {
      done();
      reject(new Error('webhook request closed before its body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

export function paymentHooksHandler(deps: PaymentDeps) {
  const log = deps.app.log.child({ component: 'payment-hooks' });
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (req.method !== 'POST') return answer(res, 405, 'text/plain', 'POST only');
      const route = parseHookPath(req.url ?? '');
      const found = route && (await gatewayByHookTokenCached(deps.app, deps.app.db, route.token));
      if (!route || !found || found.gateway !== route.gateway) {
        log.warn({ gateway: route?.gateway ?? null }, 'payment webhook on an unknown path refused');
        return answer(res, 404, 'text/plain', 'Not found');
      }
      actForTenant(found.tenantId);
      const rawBody = await readRaw(req);
      if (!rawBody) return answer(res, 413, 'text/plain', 'Too large');
      const tg = await openGatewayRow(deps, deps.app.db, found.tenantId, found);
      if (!fromAllowedSource(deps, req, tg.settings)) {
        log.warn({ gateway: found.gateway }, 'payment webhook from an address not allowed refused');
        return answer(res, 403, 'text/plain', 'Forbidden');
      }
      if (route.action === 'validate') {
        // Unknown accounts are accepted and land in suspense: refusing would bounce the
        // customer's money for a typo the operator can match.
        const ack = (tg.gateway as MpesaGateway).c2bValidationAnswer(true);
        return answer(res, ack.status, ack.contentType, ack.body);
      }
      if (route.action === 'status_result' || route.action === 'status_timeout') {
        const ack = await receiveTransactionStatus(deps, found.tenantId, tg, rawBody, {
          timedOut: route.action === 'status_timeout',
        });
        return answer(res, ack.status, ack.contentType, ack.body);
      }
      const result = await receiveWebhook(
        deps,
        { tenantId: found.tenantId, gateway: found.gateway, adapter: tg.gateway },
        { rawBody, headers: req.headers },
      );
      if (!result.verdict.ok) {
        log.warn({ gateway: found.gateway, reason: result.verdict.reason }, 'payment webhook refused');
      }
      answer(res, result.ack.status, result.ack.contentType, result.ack.body);
    } catch (err) {
      log.error({ err }, 'payment webhook failed');
      if (!res.headersSent) answer(res, 500, 'text/plain', 'Try again');
    }
  };
}
