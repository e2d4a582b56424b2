// `/h/<token>/…` — what a router and its hotspot clients fetch from Kasi:
//   GET /h/<token>/<file>     the bundle's files, for the install plan's /tool/fetch;
//   GET /h/<token>/problem    a page's report of variables the router left empty (logged);
//   GET /h/<token>/buy        "buy now" from the login page (mac, ip, dst in the query).
// The token is the install's (only its hash is stored); an unknown token gets a plain 404.
// No cookies anywhere: captive-portal pop-ups may not keep them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { eq } from 'drizzle-orm';
import { actForTenant, hotspotPageBundles, withTenantLookup } from '@kasi/db';
import type { AppContext } from '../app-context.ts';
import { hashToken } from '../auth/session-store.ts';
import { HOTSPOT_PATH } from './hotspot-bundle.ts';

const ROUTE = /^\/h\/([A-Za-z0-9_-]{20,64})\/([a-z0-9.-]+)(?:\?(.*))?$/;
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

export const isHotspotRoute = (url: string) => url.startsWith(HOTSPOT_PATH);

/** What "buy now" does once the buy-a-plan pay link exists (payments); absent: not offered yet. */
export interface HotspotCheckout {
  start(input: { tenantId: string; routerId: string; mac: string; ip: string; dst: string }): Promise<string>;
}

function plain(res: ServerResponse, status: number, text: string) {
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    .end(text);
}

export function hotspotPageHandler(app: AppContext, checkout?: HotspotCheckout) {
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
      if (!checkout) return plain(res, 404, 'Buying from the hotspot page is not available yet.');
      const url = await checkout.start({
        tenantId: bundle.tenantId,
        routerId: bundle.routerId,
        mac: params.get('mac') ?? '',
        ip: params.get('ip') ?? '',
        dst: params.get('dst') ?? '',
      });
      res.writeHead(303, { location: url, 'cache-control': 'no-store' }).end();
      return;
    }
    const body = bundle.files[name];
    if (body === undefined) return plain(res, 404, 'Not found');
    const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  }
}
