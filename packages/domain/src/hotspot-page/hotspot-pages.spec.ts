import { describe, expect, it } from 'vitest';
import { HOTSPOT_PAGE_NAMES, renderHotspotBundle, sampleRouterVariables } from './hotspot-pages.ts';
import { fillRouterVariables } from './router-variables.ts';

const input = {
  brand: { name: 'Mama <Net> $(mac)', colour: '#aa3300', logo: null },
  language: 'sw' as const,
  buyUrl: 'https://kasi.example/h/tok/buy',
  reportUrl: 'https://kasi.example/h/tok/problem',
};

describe('the hotspot page bundle', () => {
  it('has every page RouterOS serves and the CHAP helper, each under the 60 KB a router shows back', () => {
    const bundle = renderHotspotBundle(input);
    expect(Object.keys(bundle).sort()).toEqual(
      [...HOTSPOT_PAGE_NAMES, 'md5.js', 'redirect.html', 'rlogin.html'].sort(),
    );
    for (const body of Object.values(bundle)) expect(Buffer.byteLength(body)).toBeLessThan(60_000);
  });

  it('uses only variables the router fills, in the operator’s language, brand escaped', () => {
    const bundle = renderHotspotBundle(input);
    for (const name of HOTSPOT_PAGE_NAMES) {
      const page = name.replace('.html', '');
      const { html, missing } = fillRouterVariables(bundle[name], sampleRouterVariables(page));
      expect(missing, name).toEqual([]);
      expect(html).not.toContain('$(');
      expect(html).toContain('Mama &lt;Net&gt; &#36;(mac)');
      expect(html).toContain('lang="sw"');
    }
  });

  it('puts router, MAC, IP and the router login address in the buy-now link with the -esc forms', () => {
    const login = renderHotspotBundle(input)['login.html'];
    expect(login).toContain(
      'https://kasi.example/h/tok/buy?mac=$(mac-esc)&amp;ip=$(ip-esc)&amp;dst=$(link-orig-esc)&amp;login=$(link-login-only-esc)',
    );
    const filled = fillRouterVariables(login, sampleRouterVariables('login')).html;
    expect(filled).toContain('?mac=A4%3A5E%3A60%3A11%3A22%3A01&amp;ip=10.5.50.21');
    expect(filled).toContain('&amp;login=http%3A%2F%2Fhotspot.lan%2Flogin"');
  });

  it('offers CHAP only when the router gives a chap-id', () => {
    const login = renderHotspotBundle(input)['login.html'];
    const vars = sampleRouterVariables('login');
    expect(fillRouterVariables(login, vars).html).toContain("var kasiChap = { id: '\\321'");
    expect(fillRouterVariables(login, { ...vars, 'chap-id': '' }).html).toContain('var kasiChap = null;');
  });

  it('drops a colour or logo that is not plainly safe', () => {
    const login = renderHotspotBundle({
      ...input,
      brand: { name: 'X', colour: 'red;}body{', logo: 'javascript:alert(1)' },
    })['login.html'];
    expect(login).not.toContain('red;}');
    expect(login).not.toContain('javascript:');
  });
});
