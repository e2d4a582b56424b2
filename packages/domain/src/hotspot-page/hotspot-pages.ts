// The hotspot login page bundle a MikroTik serves from its html-directory: login, alogin,
// status, logout and error pages plus the CHAP helper (md5.js), in the operator's name, colour,
// logo and language, written with RouterOS's page variables (docs/adr/0024). State lives in
// URLs only: captive-portal pop-ups may keep no cookies. Pure: the server adds the URLs.
import { HOTSPOT_TEXT, type HotspotLanguage, type HotspotText } from './hotspot-page.text.ts';
import { MD5_SCRIPT } from './md5.script.ts';
import { pageScript } from './hotspot-page.script.ts';

export interface HotspotBrand {
  name: string;
  /** #rrggbb; Kasi's when null. */
  colour: string | null;
  /** A data: URL (PNG/JPEG/WebP) or null. */
  logo: string | null;
}

export interface HotspotBundleInput {
  brand: HotspotBrand;
  language: HotspotLanguage;
  /**
   * Kasi's "buy now" address for this router; the page adds mac, ip, dst and login (the
   * router's `link-login-only`, where the paid page sends the device back). Null: no button.
   */
  buyUrl: string | null;
  /** Where the pages report a variable the router left empty (an image beacon). */
  reportUrl: string | null;
  /** Put md5.js inside login.html (the console preview, which has no router to serve files). */
  inlineHelper?: boolean;
}

export type HotspotFileName =
  | 'login.html'
  | 'alogin.html'
  | 'status.html'
  | 'logout.html'
  | 'error.html'
  | 'redirect.html'
  | 'rlogin.html'
  | 'md5.js';

export const HOTSPOT_PAGE_NAMES = [
  'login.html',
  'alogin.html',
  'status.html',
  'logout.html',
  'error.html',
] as const;

const DEFAULT_COLOUR = '#0f766e';

/** HTML-escapes operator text, and `$` too, so the router never reads it as a variable. */
export function escapeHotspotText(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\$/g, '&#36;');
}

const safeColour = (c: string | null) => (c && /^#[0-9a-f]{6}$/i.test(c) ? c : DEFAULT_COLOUR);
const safeLogo = (l: string | null) =>
  l && /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/.test(l) ? l : null;

function frame(input: HotspotBundleInput, page: string, body: string, head = ''): string {
  const t = HOTSPOT_TEXT[input.language];
  const logo = safeLogo(input.brand.logo);
  const name = escapeHotspotText(input.brand.name);
  return `<!doctype html>
<html lang="${input.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="pragma" content="no-cache">
<meta http-equiv="expires" content="-1">
<title>${name}</title>${head}
<style>
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2933}
header{background:${safeColour(input.brand.colour)};color:#fff;padding:14px 16px;display:flex;align-items:center;gap:12px}
header img{max-height:40px;max-width:120px}
header h1{font-size:1.15rem;margin:0}
main{max-width:420px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:10px;padding:16px;margin-bottom:14px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
label{display:block;font-weight:600;margin-bottom:4px}
input[type=text]{box-sizing:border-box;width:100%;font-size:1.2rem;padding:10px;border:1px solid #9aa5b1;border-radius:6px;text-transform:uppercase;letter-spacing:.08em}
.hint{color:#52606d;font-size:.875rem;margin:4px 0 12px}
.btn{display:block;box-sizing:border-box;width:100%;text-align:center;padding:12px;border:0;border-radius:6px;font-size:1rem;font-weight:600;cursor:pointer;text-decoration:none;background:${safeColour(input.brand.colour)};color:#fff}
.btn.alt{background:#fff;color:${safeColour(input.brand.colour)};border:2px solid ${safeColour(input.brand.colour)}}
.error{background:#fde8e8;color:#9b1c1c;border-radius:6px;padding:10px;margin-bottom:12px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}dt{color:#52606d}dd{margin:0;font-weight:600}
.lang{color:#fff;margin-left:auto;font-size:.875rem}
</style>
</head>
<body data-page="${page}">
<header>${logo ? `<img src="${logo}" alt="">` : ''}<h1>${name}</h1><a class="lang" href="#" id="kasi-lang">${t.language}</a></header>
<main>
${body}
</main>
${pageScript(input, page)}
</body>
</html>
`;
}

const tx = (t: HotspotText, key: keyof HotspotText) => `<span data-t="${key}">${t[key]}</span>`;

function loginPage(input: HotspotBundleInput): string {
  const t = HOTSPOT_TEXT[input.language];
  const buy = input.buyUrl
    ? `<div class="card"><a class="btn alt" id="kasi-buy" href="${escapeHotspotText(input.buyUrl)}?mac=$(mac-esc)&amp;ip=$(ip-esc)&amp;dst=$(link-orig-esc)&amp;login=$(link-login-only-esc)">${tx(t, 'buyNow')}</a>
<p class="hint">${tx(t, 'buyHint')}</p></div>`
    : '';
  const helper = input.inlineHelper
    ? `\n<script>\n${MD5_SCRIPT}</script>`
    : '\n<script src="md5.js"></script>';
  return frame(
    input,
    'login',
    `$(if error)<div class="error" role="alert">$(error)</div>$(endif)
<form name="sendin" action="$(link-login-only)" method="post" style="display:none">
<input type="hidden" name="username"><input type="hidden" name="password">
<input type="hidden" name="dst" value="$(link-orig)"><input type="hidden" name="popup" value="true">
</form>
<form name="login" class="card" action="$(link-login-only)" method="post" data-login="$(link-login-only)" data-mac="$(mac)" data-ip="$(ip)" data-username="$(username)" data-error="$(if error)1$(endif)">
<label for="code">${tx(t, 'codeLabel')}</label>
<input type="text" id="code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" required value="$(username)">
<p class="hint">${tx(t, 'codeHint')}</p>
<button class="btn" type="submit">${tx(t, 'connect')}</button>
</form>
${buy}
<script>
$(if chap-id)
var kasiChap = { id: '$(chap-id)', challenge: '$(chap-challenge)' };
$(else)
var kasiChap = null;
$(endif)
</script>`,
    helper,
  );
}

function aloginPage(input: HotspotBundleInput): string {
  const t = HOTSPOT_TEXT[input.language];
  return frame(
    input,
    'alogin',
    `<div class="card"><h2>${tx(t, 'connected')}</h2>
<a class="btn" href="$(link-redirect)">${tx(t, 'continueTo')}</a></div>`,
    '\n<meta http-equiv="refresh" content="3; url=$(link-redirect)">',
  );
}

function statusPage(input: HotspotBundleInput): string {
  const t = HOTSPOT_TEXT[input.language];
  return frame(
    input,
    'status',
    `<div class="card"><h2>${tx(t, 'status')}</h2>
<dl><dt>${tx(t, 'user')}</dt><dd>$(username)</dd><dt>${tx(t, 'address')}</dt><dd>$(ip)</dd>
<dt>${tx(t, 'uptime')}</dt><dd>$(uptime)</dd>
$(if session-time-left)<dt>${tx(t, 'timeLeft')}</dt><dd>$(session-time-left)</dd>$(endif)
<dt>${tx(t, 'used')}</dt><dd>$(bytes-out-nice) / $(bytes-in-nice)</dd></dl></div>
<form action="$(link-logout)" method="post" name="logout"><input type="hidden" name="erase-cookie" value="on">
<button class="btn alt" type="submit">${tx(t, 'logout')}</button></form>`,
    '\n$(if refresh-timeout)<meta http-equiv="refresh" content="$(refresh-timeout-secs)">$(endif)',
  );
}

function logoutPage(input: HotspotBundleInput): string {
  const t = HOTSPOT_TEXT[input.language];
  return frame(
    input,
    'logout',
    `<div class="card"><h2>${tx(t, 'loggedOut')}</h2>
<dl><dt>${tx(t, 'user')}</dt><dd>$(username)</dd><dt>${tx(t, 'uptime')}</dt><dd>$(uptime)</dd>
<dt>${tx(t, 'used')}</dt><dd>$(bytes-out-nice) / $(bytes-in-nice)</dd></dl></div>
<a class="btn" href="$(link-login)">${tx(t, 'loginAgain')}</a>`,
  );
}

function errorPage(input: HotspotBundleInput): string {
  const t = HOTSPOT_TEXT[input.language];
  return frame(
    input,
    'error',
    `<div class="card"><h2>${tx(t, 'errorTitle')}</h2><div class="error" role="alert">$(error)</div>
<a class="btn" href="$(link-login-only)">${tx(t, 'tryAgain')}</a></div>`,
  );
}

// RouterOS serves these two between the pages; a custom directory must have them.
const REDIRECT = `<!doctype html><html><head><meta http-equiv="refresh" content="0; url=$(link-redirect)"><meta http-equiv="pragma" content="no-cache"><meta http-equiv="expires" content="-1"></head><body></body></html>\n`;

export function renderHotspotBundle(input: HotspotBundleInput): Record<HotspotFileName, string> {
  return {
    'login.html': loginPage(input),
    'alogin.html': aloginPage(input),
    'status.html': statusPage(input),
    'logout.html': logoutPage(input),
    'error.html': errorPage(input),
    'redirect.html': REDIRECT,
    'rlogin.html': REDIRECT,
    'md5.js': MD5_SCRIPT,
  };
}

/** Example values for each page, as a router would fill them (the console preview). */
export function sampleRouterVariables(page: string): Record<string, string> {
  const common = {
    'link-login-only': 'http://hotspot.lan/login',
    'link-login': 'http://hotspot.lan/login?dst=http%3A%2F%2Fexample.com%2F',
    'link-logout': 'http://hotspot.lan/logout',
    'link-orig': 'http://example.com/',
    'link-redirect': 'http://example.com/',
    mac: 'A4:5E:60:11:22:01',
    ip: '10.5.50.21',
    username: page === 'login' ? '' : 'KX7F42QM',
    error: page === 'error' ? 'invalid username or password' : '',
    'chap-id': '\\321',
    'chap-challenge': '\\214\\057\\176\\012\\141\\271\\135\\116\\063\\240\\174\\037\\236\\053\\155\\130',
    uptime: '12m4s',
    'session-time-left': '47m56s',
    'bytes-in-nice': '3.1 MiB',
    'bytes-out-nice': '48.7 MiB',
    'refresh-timeout': '',
    'refresh-timeout-secs': '',
    trial: 'no',
  };
  return common;
}
