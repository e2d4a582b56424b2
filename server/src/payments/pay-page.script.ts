// The pay page's only script (served from /p/_/pay.js, so the CSP needs no inline script):
// a pay button is pressed once; while an attempt is pending the page asks for its status
// every 3 s and reloads once the provider has decided; a paid "buy now" code is taken to the
// device's hotspot login after a few seconds (data-auto-login). It never decides anything
// itself; without it a <noscript> refresh does the same.
export const PAY_SCRIPT_PATH = '/p/_/pay.js';

export const PAY_SCRIPT = `(function () {
  document.querySelectorAll('form').forEach(function (f) {
    f.addEventListener('submit', function () {
      var b = f.querySelector('button');
      if (b) setTimeout(function () { b.disabled = true; }, 0);
    });
  });
  var go = document.querySelector('[data-auto-login]');
  if (go) setTimeout(function () { location.href = go.href; }, 1000 * +go.getAttribute('data-auto-login'));
  var el = document.querySelector('[data-status-url]');
  if (!el) return;
  var url = el.getAttribute('data-status-url');
  var tries = 0;
  function poll() {
    tries++;
    fetch(url, { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s && s.status !== 'pending' && s.status !== 'created') { location.reload(); return; }
        setTimeout(poll, tries < 40 ? 3000 : 10000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 3000);
})();
`;
