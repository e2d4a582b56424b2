// The payment routes outside tRPC, as one handler for http-server.ts: provider webhooks
// under /hooks/mm/ and /hooks/stripe/, the pay page under /p/.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withTenantLookup } from '@kasi/db';
import { payPageHandler } from './pay-page.route.ts';
import { PAY_PATH } from './pay-link.service.ts';
import type { PaymentDeps } from './payment-deps.ts';
import { isPaymentHookPath, paymentHooksHandler } from './payment-hooks.route.ts';

export interface PaymentRoutes {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export const isPaymentRoute = (url: string) => url.startsWith(PAY_PATH) || isPaymentHookPath(url);

export function paymentRoutes(deps: PaymentDeps): PaymentRoutes {
  const hooks = paymentHooksHandler(deps);
  const page = payPageHandler(deps);
  const log = deps.app.log.child({ component: 'pay-page' });
  return {
    // No session here: the webhook's path token or the pay link names the tenant, found
    // through the pre-tenant lookups; the handlers then act for it (ADR 0019).
    handle: (req, res) =>
      withTenantLookup(async () => {
        const url = req.url ?? '';
        if (isPaymentHookPath(url)) return hooks(req, res);
        try {
          await page(req, res);
        } catch (err) {
          log.error({ err }, 'pay page failed');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('Please try again');
        }
      }),
  };
}
