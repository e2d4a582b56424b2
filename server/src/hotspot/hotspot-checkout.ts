// "Buy now" on the hotspot login page (ADR 0024): `/h/<token>/buy` lists the plans the
// operator sells as vouchers; choosing one makes a buy-plan pay link (payments, ADR 0021)
// that carries the router, the device's MAC and IP and the router's login address, and sends
// the buyer to it. The page is server-rendered, tiny and cookie-free, like the pay page:
// captive-portal pop-ups keep no cookies and may run no script.
import { and, asc, eq, gt, isNull, ne } from 'drizzle-orm';
import { plans, tenants } from '@kasi/db';
import { DEFAULT_HOTSPOT_URL, formatMoney, money } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { createPlanPayLink } from '../payments/plan-purchase.ts';
import { esc } from '../payments/pay-page.html.ts';
import { PAY_PAGE_TEXT, payLanguage, type PayPageText } from '../payments/pay-page.text.ts';

export interface BuyRequest {
  tenantId: string;
  routerId: string;
  mac: string;
  ip: string;
  dst: string;
  /** The router's `$(link-login-only)` as the page passed it (checked before it is kept). */
  login: string;
}

/** Private, shared (CGNAT), link-local and loopback IPv4 networks: [first octets, prefix length]. */
const PRIVATE_V4: readonly [number, number, number][] = [
  [10, 0, 8],
  [172, 16, 12],
  [192, 168, 16],
  [100, 64, 10],
  [169, 254, 16],
  [127, 0, 8],
];

function privateV4(host: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return false;
  const n = m.slice(1).map(Number);
  if (n.some((x) => x > 255)) return false;
  const ip = ((n[0]! << 24) | (n[1]! << 16) | (n[2]! << 8) | n[3]!) >>> 0;
  return PRIVATE_V4.some(([a, b, bits]) => {
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    return (ip & mask) >>> 0 === (((a << 24) | (b << 16)) & mask) >>> 0;
  });
}

/**
 * The router login address a buy-now request carried, kept only when it can be nothing but a
 * hotspot's: http(s), path `/login`, on a private or loopback IPv4 address (how a hotspot is
 * reached from behind it) or on the host of the tenant's hotspot address (its DNS name). The
 * paid page sends the device there with the bought code, so an address from anywhere else —
 * a link crafted to collect codes — is dropped (the device is then logged in over the API).
 */
export function trustedLoginUrl(
  raw: string,
  hotspotUrls: readonly (string | null | undefined)[],
): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return null;
  if (url.pathname !== '/login') return null;
  const known = hotspotUrls.flatMap((u) => {
    try {
      return u ? [new URL(u).hostname.toLowerCase()] : [];
    } catch {
      return [];
    }
  });
  if (!privateV4(url.hostname) && !known.includes(url.hostname.toLowerCase())) return null;
  return `${url.protocol}//${url.host}/login`;
}

export interface HotspotCheckout {
  /** The plan-choice page (HTML) for a device on this router. */
  choices(req: BuyRequest, buyPath: string): Promise<string>;
  /** A buy-plan pay link for the chosen plan; its URL. */
  start(req: BuyRequest & { planId: string }): Promise<string>;
}

function validity(seconds: number | null, t: PayPageText): string {
  if (!seconds) return '';
  const n = (words: string, count: number) => words.replace('{n}', String(count));
  if (seconds % 86_400 === 0) return n(seconds === 86_400 ? t.day : t.days, seconds / 86_400);
  if (seconds % 3_600 === 0) return n(seconds === 3_600 ? t.hour : t.hours, seconds / 3_600);
  return n(t.minutes, Math.round(seconds / 60));
}

/**
 * The voucher plans a hotspot customer can buy (the "buy now" page, `BUY <plan>` by SMS):
 * active, not archived, priced, not subscriber-only; cheapest first.
 */
export async function sellablePlans(app: AppContext, tenantId: string) {
  return app.db
    .select({
      id: plans.id,
      name: plans.name,
      priceMinor: plans.priceMinor,
      currency: plans.currency,
      validitySeconds: plans.validitySeconds,
    })
    .from(plans)
    .where(
      and(
        eq(plans.tenantId, tenantId),
        eq(plans.active, true),
        isNull(plans.archivedAt),
        ne(plans.audience, 'subscriber'),
        gt(plans.priceMinor, 0n),
      ),
    )
    .orderBy(asc(plans.priceMinor), asc(plans.name));
}

export function hotspotCheckout(app: AppContext): HotspotCheckout {
  return {
    async choices(req, buyPath) {
      const [tenant] = await app.db
        .select({ name: tenants.name, colour: tenants.brandColour, locale: tenants.locale })
        .from(tenants)
        .where(eq(tenants.id, req.tenantId));
      const list = await sellablePlans(app, req.tenantId);
      // The tenant's language, as on its login page and the pay page after this one.
      const lang = payLanguage(tenant?.locale);
      const t = PAY_PAGE_TEXT[lang];
      const colour = /^#[0-9a-fA-F]{6}$/.test(tenant?.colour ?? '') ? tenant!.colour! : '#0b5cad';
      const items = list
        .map((p) => {
          const q = new URLSearchParams({ plan: p.id, mac: req.mac, ip: req.ip, dst: req.dst });
          if (req.login) q.set('login', req.login);
          const note = validity(p.validitySeconds, t);
          return `<li><a href="${esc(`${buyPath}?${q.toString()}`)}"><b>${esc(p.name)}</b><span>${esc(
            formatMoney(money(p.priceMinor, p.currency)),
          )}${note ? ` · ${esc(note)}` : ''}</span></a></li>`;
        })
        .join('');
      const body = list.length ? `<ul>${items}</ul>` : `<p>${esc(t.buyNone)}</p>`;
      return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(t.buyTitle)} — ${esc(
        tenant?.name ?? 'Kasi',
      )}</title><style>body{font:16px/1.4 system-ui,sans-serif;margin:0;padding:16px;max-width:480px;margin:auto;color:#111;background:#fff}h1{font-size:1.3rem;color:${colour}}ul{list-style:none;padding:0}li{margin:8px 0}a{display:flex;justify-content:space-between;gap:8px;padding:14px;border:2px solid ${colour};border-radius:8px;color:#111;text-decoration:none}span{white-space:nowrap}@media (prefers-color-scheme:dark){body{background:#111;color:#eee}a{color:#eee}}</style></head><body><h1>${esc(
        tenant?.name ?? 'Internet',
      )}</h1><p>${esc(t.buyIntro)}</p>${body}</body></html>`;
    },
    async start(req) {
      const [tenant] = await app.db
        .select({ hotspotUrl: tenants.hotspotUrl })
        .from(tenants)
        .where(eq(tenants.id, req.tenantId));
      const loginUrl = req.login
        ? trustedLoginUrl(req.login, [tenant?.hotspotUrl, app.sms?.hotspotUrl, DEFAULT_HOTSPOT_URL])
        : null;
      if (req.login && !loginUrl)
        app.log.warn(
          { tenantId: req.tenantId, routerId: req.routerId },
          'buy now: login address not a hotspot’s, dropped',
        );
      const link = await app.db.transaction((tx) =>
        createPlanPayLink(app, tx, {
          tenantId: req.tenantId,
          planId: req.planId,
          routerId: req.routerId,
          mac: req.mac || null,
          ip: req.ip || null,
          loginUrl,
        }),
      );
      return link.url;
    },
  };
}
