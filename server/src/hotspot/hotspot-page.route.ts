// `/h/<token>/…` — what a router and its hotspot clients fetch from Kasi:
//   GET /h/<token>/<file>     the bundle's files, for the install plan's /tool/fetch;
//   GET /h/<token>/problem    a page's report of variables the router left empty (logged);
//   GET /h/<token>/buy        "buy now" from the login page (mac, ip, dst, login in the query).
// The token is the install's (only its hash is stored); an unknown token gets a plain 404.
// No cookies anywhere: captive-portal pop-ups may not keep them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { eq } from 'drizzle-orm';
import { actForTenant, hotspotPageBundles, withTenantLookup } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { DomainError } from '@kasi/domain';
import { hashToken } from '../auth/session-store.ts';
import { HOTSPOT_PATH } from './hotspot-bundle.ts';
import { hotspotCheckout, type HotspotCheckout } from './hotspot-checkout.ts';

const ROUTE = /^\/h\/([A-Za-z0-9_-]{20,64})\/([a-z0-9.-]+)(?:\?(.*))?$/;
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

export const isHotspotRoute = (url: string) => url.startsWith(HOTSPOT_PATH);

function plain(res: ServerResponse, status: number, text: string) {
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    .end(text);
}

export function hotspotPageHandler(app: AppContext, checkout: HotspotCheckout = hotspotCheckout(app)) {
  const log = app.log.child({ component: 'hotspot-page' });
  // Row-level security (ADR 0019): the bundle is found by its token in lookup mode, then
  // everything runs as the bundle's tenant.
  return (req: IncomingMessage, res: ServerResponse) => withTenantLookup(() => handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const m = ROUTE.exec(req.url ?? '');
    if (req.method !== 'GET' || !m) return plain(res, 404, 'Not found');
    const [, token = '', name = '', query = ''] = m;
    const [bundle] = await app.db
      .select({
        tenantId: hotspotPageBundles.tenantId,
        routerId: hotspotPageBundles.routerId,
        files: hotspotPageBundles.files,
      })
      .from(hotspotPageBundles)
      .where(eq(hotspotPageBundles.tokenHash, hashToken(token)));
    if (!bundle) return plain(res, 404, 'Not found');
    actForTenant(bundle.tenantId);
    const params = new URLSearchParams(query);
    if (name === 'problem') {
      // A page rendered with a variable missing: it still worked as far as it could; say which.
      log.warn(
        {
          tenantId: bundle.tenantId,
          routerId: bundle.routerId,
          page: params.get('page')?.slice(0, 20),
          missing: params.get('missing')?.slice(0, 200),
        },
        'hotspot page rendered with a router variable missing',
      );
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
      return;
    }
    if (name === 'buy') {
      const buy = {
        tenantId: bundle.tenantId,
        routerId: bundle.routerId,
        mac: params.get('mac')?.slice(0, 32) ?? '',
        ip: params.get('ip')?.slice(0, 45) ?? '',
        dst: params.get('dst')?.slice(0, 500) ?? '',
        login: params.get('login')?.slice(0, 500) ?? '',
      };
      const planId = params.get('plan');
      if (!planId) {
        const html = await checkout.choices(buy, `${HOTSPOT_PATH}${token}/buy`);
        res.writeHead(200, { 'content-type': TYPES.html, 'cache-control': 'no-store' }).end(html);
        return;
      }
      try {
        const url = await checkout.start({ ...buy, planId });
        res.writeHead(303, { location: url, 'cache-control': 'no-store' }).end();
      } catch (err) {
        // A plan no longer on sale, a malformed MAC or IP: say so, do not fail the portal.
        if (err instanceof DomainError) return plain(res, 400, err.message);
        throw err;
      }
      return;
    }
    const body = bundle.files[name];
    if (body === undefined) return plain(res, 404, 'Not found');
    const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  }
}
