// "Buy now" on the hotspot login page (ADR 0024): `/h/<token>/buy` lists the plans the
// operator sells as vouchers; choosing one makes a buy-plan pay link (payments, ADR 0021)
// that carries the router, the device's MAC and IP, and sends the buyer to it. The page is
// server-rendered, tiny and cookie-free, like the pay page: captive-portal pop-ups keep
// no cookies and may run no script.
import { and, asc, eq, gt, isNull, ne } from 'drizzle-orm';
import { plans, tenants } from '@kasi/db';
import { formatMoney, money } from '@kasi/domain';
import type { AppContext } from '../app-context.ts';
import { createPlanPayLink } from '../payments/plan-purchase.ts';
import { esc } from '../payments/pay-page.html.ts';

export interface BuyRequest {
  tenantId: string;
  routerId: string;
  mac: string;
  ip: string;
  dst: string;
}

export interface HotspotCheckout {
  /** The plan-choice page (HTML) for a device on this router. */
  choices(req: BuyRequest, buyPath: string): Promise<string>;
  /** A buy-plan pay link for the chosen plan; its URL. */
  start(req: BuyRequest & { planId: string }): Promise<string>;
}

function validity(seconds: number | null): string {
  if (!seconds) return '';
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} hour${seconds === 3_600 ? '' : 's'}`;
  return `${Math.round(seconds / 60)} min`;
}

/** The voucher plans a hotspot customer can buy: active, not archived, priced, not subscriber-only. */
async function sellablePlans(app: AppContext, tenantId: string) {
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
        .select({ name: tenants.name, colour: tenants.brandColour })
        .from(tenants)
        .where(eq(tenants.id, req.tenantId));
      const list = await sellablePlans(app, req.tenantId);
      const colour = /^#[0-9a-fA-F]{6}$/.test(tenant?.colour ?? '') ? tenant!.colour! : '#0b5cad';
      const items = list
        .map((p) => {
          const q = new URLSearchParams({ plan: p.id, mac: req.mac, ip: req.ip, dst: req.dst });
          const note = validity(p.validitySeconds);
          return `<li><a href="${esc(`${buyPath}?${q.toString()}`)}"><b>${esc(p.name)}</b><span>${esc(
            formatMoney(money(p.priceMinor, p.currency)),
          )}${note ? ` · ${esc(note)}` : ''}</span></a></li>`;
        })
        .join('');
      const body = list.length
        ? `<ul>${items}</ul>`
        : '<p>No plans are on sale online right now. Ask the shop for a voucher.</p>';
      return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>Buy internet — ${esc(
        tenant?.name ?? 'Kasi',
      )}</title><style>body{font:16px/1.4 system-ui,sans-serif;margin:0;padding:16px;max-width:480px;margin:auto;color:#111;background:#fff}h1{font-size:1.3rem;color:${colour}}ul{list-style:none;padding:0}li{margin:8px 0}a{display:flex;justify-content:space-between;gap:8px;padding:14px;border:2px solid ${colour};border-radius:8px;color:#111;text-decoration:none}span{white-space:nowrap}@media (prefers-color-scheme:dark){body{background:#111;color:#eee}a{color:#eee}}</style></head><body><h1>${esc(
        tenant?.name ?? 'Internet',
      )}</h1><p>Choose a plan. You pay on the next page; then this device goes online with your new code.</p>${body}</body></html>`;
    },
    async start(req) {
      const link = await app.db.transaction((tx) =>
        createPlanPayLink(app, tx, {
          tenantId: req.tenantId,
          planId: req.planId,
          routerId: req.routerId,
          mac: req.mac || null,
          ip: req.ip || null,
        }),
      );
      return link.url;
    },
  };
}
