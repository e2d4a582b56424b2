// The pay page's HTML, server-rendered: small enough for 2G and a captive-portal pop-up,
// no cookies (the attempt is followed by its id in the URL), one external script.
import { formatMoney, money } from '@kasi/domain';
import type { AttemptRow } from './attempt-settle.ts';
import type { OpenLink } from './pay-link.service.ts';
import { PAY_SCRIPT_PATH } from './pay-page.script.ts';
import { PAY_PAGE_TEXT, type PayLanguage, type PayPageText } from './pay-page.text.ts';

/** HTML text and attribute escaping for the server-rendered pages (pay page, hotspot buy page). */
export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font:16px/1.4 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}
main{max-width:420px;margin:0 auto;padding:16px}h1{font-size:1.1rem;margin:0 0 12px}
.card{background:#fff;border-radius:10px;padding:16px;margin:0 0 12px;box-shadow:0 1px 2px #0002}
.amount{font-size:1.8rem;font-weight:700;margin:4px 0}label{display:block;margin:8px 0 4px}
input{width:100%;box-sizing:border-box;font-size:1.1rem;padding:10px;border:1px solid #999;border-radius:6px}
button{width:100%;margin-top:10px;font-size:1.1rem;padding:12px;border:0;border-radius:6px;background:#0a7d3b;color:#fff}
button.alt{background:#3b3fd8}.err{color:#a00000}.ok{color:#0a7d3b}.muted{color:#555;font-size:.9rem}
header{display:flex;align-items:center;gap:12px;margin:0 0 12px;border-radius:10px}
header.band{padding:12px 16px}header h1{margin:0}header img{max-height:40px;max-width:120px}`;

/**
 * The operator's look on the page (settings: logo and colour, as on the cards and the hotspot
 * pages). The logo is not inlined: it is fetched from `logoUrl`, an address under the link that
 * names the logo's version, so a 2G buyer downloads it once however often the page reloads.
 */
export interface PageLook {
  logoUrl?: string | null;
  colour?: string | null;
}

/** A pay link as the page shows it: the link and the operator's look. */
export type PageLink = OpenLink & PageLook;

const SRGB = (c: number) => (c <= 0.039_28 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

/** WCAG relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => SRGB(parseInt(hex.slice(i, i + 2), 16) / 255));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const DARK_INK = '#1b1f24';

/** The text colour that reads best on the operator's colour: white or the page's dark ink. */
export function inkOn(hex: string): string {
  const l = luminance(hex);
  const onWhite = 1.05 / (l + 0.05);
  const onDark = (l + 0.05) / (luminance(DARK_INK) + 0.05);
  return onWhite >= onDark ? '#fff' : DARK_INK;
}

const COLOUR = /^#[0-9a-fA-F]{6}$/;

function header(brand: string, look: PageLook): { css: string; html: string } {
  const colour = look.colour && COLOUR.test(look.colour) ? look.colour : null;
  const logo = look.logoUrl ? `<img src="${esc(look.logoUrl)}" alt="" data-testid="brand-logo">` : '';
  return {
    css: colour ? `header.band{background:${colour};color:${inkOn(colour)}}` : '',
    html: `<header${colour ? ' class="band"' : ''}>${logo}<h1>${esc(brand)}</h1></header>`,
  };
}

export function page(
  title: string,
  brand: string | ({ name: string } & PageLook),
  body: string,
  opts: { refresh?: boolean; goTo?: string; lang?: PayLanguage } = {},
): string {
  const top = typeof brand === 'string' ? header(brand, {}) : header(brand.name, brand);
  return `<!doctype html><html lang="${opts.lang ?? 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title><style>${STYLE}${top.css}</style>
${opts.refresh ? '<noscript><meta http-equiv="refresh" content="5"></noscript>' : ''}
${opts.goTo ? `<noscript><meta http-equiv="refresh" content="${AUTO_LOGIN_SECONDS}; url=${esc(opts.goTo)}"></noscript>` : ''}
<script src="${PAY_SCRIPT_PATH}" defer></script></head>
<body><main>${top.html}${body}</main></body></html>`;
}

export const notFoundPage = () =>
  page(
    'Payment link',
    'Payment',
    '<div class="card"><p>This payment link is not valid or has expired.</p></div>',
  );

const amountOf = (minor: bigint, currency: string) => esc(formatMoney(money(minor, currency)));

export interface MethodChoice {
  mpesa: boolean;
  stripe: boolean;
  paypal: boolean;
}

export function methodForms(
  base: string,
  methods: MethodChoice,
  phone = '',
  t: PayPageText = PAY_PAGE_TEXT.en,
): string {
  const forms: string[] = [];
  if (methods.mpesa) {
    forms.push(`<form class="card" method="post" action="${base}/mpesa">
<label for="phone">${esc(t.mpesaPhone)}</label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="0712 345 678" value="${esc(phone)}" required>
<button type="submit">${esc(t.payMpesa)}</button></form>`);
  }
  if (methods.stripe) {
    forms.push(
      `<form class="card" method="post" action="${base}/stripe"><button class="alt" type="submit">${esc(t.payCard)}</button></form>`,
    );
  }
  if (methods.paypal) {
    forms.push(
      `<form class="card" method="post" action="${base}/paypal"><button class="alt" type="submit">${esc(t.payPaypal)}</button></form>`,
    );
  }
  return forms.join('') || `<div class="card"><p>${esc(t.noMethod)}</p></div>`;
}

/** A code bought through a "buy plan" link, and the hotspot address that logs it in. */
export interface IssuedVoucher {
  code: string;
  loginUrl: string;
  /**
   * How this device gets online without typing (ADR 0024): `page` — the page sends it back to
   * its router's login address with the code (loginUrl), which logs it in; `router` — Kasi
   * logs it in over the router's API; null — the buyer taps "Log in now" or types the code.
   */
  connect?: 'page' | 'router' | null;
}

/** Seconds the paid page shows the code before it takes the device to its hotspot login. */
export const AUTO_LOGIN_SECONDS = 3;

/** The bought code, big, with "log in now" (the hotspot's login with the code). */
export function voucherCard(v: IssuedVoucher, auto = false, t: PayPageText = PAY_PAGE_TEXT.en): string {
  const going = auto && v.connect === 'page';
  const note = going
    ? `<p data-testid="connecting"><strong>${esc(t.connecting)}</strong></p>`
    : v.connect === 'router'
      ? `<p data-testid="connecting"><strong>${esc(t.beingConnected)}</strong> ${esc(t.beingConnectedHint)}</p>`
      : '';
  return `<div class="card ok" role="status"><p>${esc(t.yourCode)}</p>
<div class="amount" data-testid="voucher-code">${esc(v.code)}</div>${note}
<a href="${esc(v.loginUrl)}" data-testid="login-now"${going ? ` data-auto-login="${AUTO_LOGIN_SECONDS}"` : ''}><button type="button">${esc(t.loginNow)}</button></a>
<p class="muted">${esc(t.keepCode)}</p></div>`;
}

/** The page's words and `lang`: the tenant's language (pay-page.text.ts). */
const wordsOf = (link: { language?: PayLanguage | undefined }) => {
  const lang = link.language ?? 'en';
  return { t: PAY_PAGE_TEXT[lang], lang };
};

/** The page's brand: the operator's name and look. */
const brandOf = (link: PageLink) => ({ name: link.brand, logoUrl: link.logoUrl, colour: link.colour });

export function linkPage(
  base: string,
  link: PageLink,
  methods: MethodChoice,
  error?: string,
  phone = '',
  issued: readonly IssuedVoucher[] = [],
): string {
  const { t, lang } = wordsOf(link);
  const due = `<div class="card"><div class="muted">${esc(link.label)}</div>
<div class="amount" data-testid="amount">${amountOf(link.dueMinor, link.currency)}</div></div>`;
  if (issued.length > 0 && link.dueMinor <= 0n) {
    return page(
      t.paidTitle,
      brandOf(link),
      `<div class="card"><div class="muted">${esc(link.label)}</div></div>${issued.map((v) => voucherCard(v, false, t)).join('')}`,
      { lang },
    );
  }
  if (link.dueMinor <= 0n) {
    return page(
      t.paidTitle,
      brandOf(link),
      `${due}<div class="card ok"><p>${esc(t.nothingToPay)}</p></div>`,
      { lang },
    );
  }
  const err = error ? `<div class="card err" role="alert">${esc(error)}</div>` : '';
  return page(
    t.payTitle.replace('{brand}', link.brand),
    brandOf(link),
    due + err + methodForms(base, methods, phone, t),
    { lang },
  );
}

export function attemptPage(
  base: string,
  link: PageLink,
  a: AttemptRow,
  methods: MethodChoice,
  issued: IssuedVoucher | null = null,
): string {
  const { t, lang } = wordsOf(link);
  const head = `<div class="card"><div class="muted">${esc(link.label)}</div>
<div class="amount">${amountOf(a.chargedMinor, a.currency)}</div></div>`;
  if (a.status === 'succeeded') {
    // Just paid for a code on a device that came from its hotspot: take it back there to log in.
    const goTo = issued?.connect === 'page' ? issued.loginUrl : undefined;
    return page(
      t.paidTitle,
      brandOf(link),
      `${head}<div class="card ok" role="status"><p><strong>${esc(t.received)}</strong></p>
${a.receipt ? `<p>${esc(t.receipt)} <strong data-testid="receipt">${esc(a.receipt)}</strong></p>` : ''}</div>
${issued ? voucherCard(issued, true, t) : ''}`,
      goTo ? { goTo, lang } : { lang },
    );
  }
  if (a.status === 'failed') {
    return page(
      t.notPaidTitle,
      brandOf(link),
      `${head}<div class="card err" role="alert"><p>${esc(a.reason ?? t.didNotGoThrough)}</p></div>
${link.dueMinor > 0n ? methodForms(base, methods, '', t) : ''}`,
      { lang },
    );
  }
  const pin = t.enterPin.replace('{phone}', a.phoneMasked ?? t.yourPhone);
  const waiting =
    a.gateway === 'mpesa'
      ? `<p><strong>${esc(t.checkPhone)}</strong></p><p>${esc(pin)} ${esc(t.updatesItself)}</p>`
      : `<p><strong>${esc(t.confirming)}</strong></p><p>${esc(t.updatesItself)}</p>`;
  return page(
    t.waitingTitle,
    brandOf(link),
    `${head}<div class="card" role="status" data-status-url="${base}/a/${a.id}/status">${waiting}</div>`,
    { refresh: true, lang },
  );
}
