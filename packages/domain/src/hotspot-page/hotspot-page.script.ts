// The small script on every hotspot page: the language switch, the report of variables the
// router left empty (the page still works as far as it can), and on login.html the voucher
// submit — username and password are both the code (Kasi's voucher convention, radiusd
// checks it), the password sent as MD5(chap-id + code + chap-challenge) when the router
// offers CHAP, as MikroTik's own page does. ES5, classic script (octal escapes need sloppy mode).
import { HOTSPOT_TEXT } from './hotspot-page.text.ts';
import type { HotspotBundleInput } from './hotspot-pages.ts';

/** JSON that is safe inside a <script> and that RouterOS will not read as a variable. */
const scriptJson = (v: unknown) =>
  JSON.stringify(v).replace(/</g, '\\u003c').replace(/\$/g, '\\u0024').replace(/'/g, '\\u0027');

/** Which elements carry which router variable, per page, for the missing-variable report. */
const REQUIRED: Record<string, Record<string, string>> = {
  login: {
    'link-login-only': 'form[name=login]@data-login',
    mac: 'form[name=login]@data-mac',
    ip: 'form[name=login]@data-ip',
  },
};

export function pageScript(input: HotspotBundleInput, page: string): string {
  const other = input.language === 'en' ? 'sw' : 'en';
  const config = {
    page,
    lang: input.language,
    text: { [input.language]: HOTSPOT_TEXT[input.language], [other]: HOTSPOT_TEXT[other] },
    report: input.reportUrl,
    required: REQUIRED[page] ?? {},
  };
  return `<script>
var kasiPage = ${scriptJson(config)};
(function () {
  var cfg = kasiPage;
  function each(sel, fn) { var l = document.querySelectorAll(sel); for (var i = 0; i < l.length; i++) fn(l[i]); }
  function setLang(lang) {
    var t = cfg.text[lang];
    each('[data-t]', function (el) { el.textContent = t[el.getAttribute('data-t')]; });
    document.getElementById('kasi-lang').textContent = cfg.text[lang === 'en' ? 'sw' : 'en'].language;
    document.documentElement.lang = lang;
    cfg.lang = lang;
  }
  document.getElementById('kasi-lang').onclick = function (e) {
    e.preventDefault();
    setLang(cfg.lang === 'en' ? 'sw' : 'en');
  };
  if (/[#&]lang=(en|sw)/.test(location.hash)) setLang(RegExp.$1);
  var missing = [];
  for (var name in cfg.required) {
    var at = cfg.required[name].split('@'), el = document.querySelector(at[0]);
    var v = el ? el.getAttribute(at[1]) : '';
    if (!v || v.indexOf('$' + '(') === 0) missing.push(name);
  }
  if (missing.length) {
    if (window.console) console.warn('Kasi hotspot page: the router left empty: ' + missing.join(', '));
    if (cfg.report) new Image().src = cfg.report + '?page=' + cfg.page + '&missing=' + encodeURIComponent(missing.join(','));
  }
  var form = document.forms.login;
  if (!form) return;
  function submitCode() {
    var code = form.code.value.toUpperCase().replace(/[\\s-]/g, '');
    if (!code) return false;
    var s = document.forms.sendin;
    s.username.value = code;
    s.password.value = window.kasiChap && window.kasiMd5 ? kasiMd5(kasiChap.id + code + kasiChap.challenge) : code;
    s.submit();
    return false;
  }
  form.onsubmit = function (e) { if (e && e.preventDefault) e.preventDefault(); return submitCode(); };
  // A card's QR opens /login?username=CODE: log straight in, once (not after an error).
  if (form.getAttribute('data-username') && !form.getAttribute('data-error')) submitCode();
  else form.code.focus();
})();
</script>`;
}
