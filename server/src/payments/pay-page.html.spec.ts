import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { attemptPage, inkOn, linkPage, notFoundPage, type PageLink } from './pay-page.html.ts';
import type { AttemptRow } from './attempt-settle.ts';
import { PAY_SCRIPT } from './pay-page.script.ts';

const link = (over: Partial<PageLink> = {}): PageLink => ({
  id: 'l',
  tenantId: 't',
  subscriberId: 's',
  invoiceId: null,
  planId: null,
  brand: 'Acme <script>alert(1)</script> WISP',
  currency: 'KES',
  username: 'jane',
  dueMinor: 150_050n,
  label: 'Account "jane"',
  ...over,
});

describe('pay page HTML', () => {
  it('escapes what the operator and subscriber typed', () => {
    const html = linkPage('/p/tok', link(), { mpesa: true, stripe: false, paypal: false });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('Acme &lt;script&gt;alert(1)&lt;/script&gt; WISP');
    expect(html).toContain('Account &quot;jane&quot;');
  });

  it('shows the amount exactly and only the methods the operator enabled', () => {
    const html = linkPage('/p/tok', link(), { mpesa: true, stripe: false, paypal: false });
    expect(html).toContain('1500.50 KES');
    expect(html).toContain('action="/p/tok/mpesa"');
    expect(html).not.toContain('/stripe');
  });

  it('has no inline script, and its one script is far under 30 KB gzip', () => {
    for (const html of [
      linkPage('/p/tok', link(), { mpesa: true, stripe: true, paypal: false }),
      notFoundPage(),
    ]) {
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
    expect(gzipSync(PAY_SCRIPT).length).toBeLessThan(30 * 1024);
  });

  it("shows the operator's logo from its own address and the brand in the operator's colour", () => {
    const look = { logoUrl: '/p/tok/logo?v=0123456789ab', colour: '#0B5CAD' };
    const html = linkPage('/p/tok', link({ brand: 'Acme WISP', ...look }), {
      mpesa: true,
      stripe: false,
      paypal: false,
    });
    const top =
      /<header class="band"><img src="([^"]+)" alt="" data-testid="brand-logo"><h1>Acme WISP<\/h1><\/header>/.exec(
        html,
      );
    expect(top?.[1]).toBe('/p/tok/logo?v=0123456789ab');
    // Not inlined: the page stays small however large the logo.
    expect(html).not.toContain('data:image');
    expect(html).toContain('header.band{background:#0B5CAD;color:#fff}');
    // The attempt page (reloaded while M-Pesa is pending) carries the same look.
    const attempt = { id: 'a', status: 'pending', gateway: 'mpesa', chargedMinor: 1n, currency: 'KES' };
    const waiting = attemptPage('/p/tok', link(look), attempt as unknown as AttemptRow, {
      mpesa: true,
      stripe: false,
      paypal: false,
    });
    expect(waiting).toContain('<img src="/p/tok/logo?v=0123456789ab"');
  });

  it('renders without a logo or colour, and refuses a colour that is not #rrggbb', () => {
    for (const look of [{}, { logoUrl: null, colour: null }, { colour: 'red;}body{display:none' }]) {
      const html = linkPage('/p/tok', link({ brand: 'Acme WISP', ...look }), {
        mpesa: true,
        stripe: false,
        paypal: false,
      });
      expect(html).toContain('<header><h1>Acme WISP</h1></header>');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('display:none');
    }
  });

  it('writes the brand in white on a dark colour and in dark ink on a light one', () => {
    expect(inkOn('#0b5cad')).toBe('#fff');
    expect(inkOn('#000000')).toBe('#fff');
    expect(inkOn('#ffd400')).toBe('#1b1f24');
    expect(inkOn('#ffffff')).toBe('#1b1f24');
  });

  it('escapes a logo address', () => {
    const html = linkPage('/p/tok', link({ logoUrl: '/p/tok/logo?v=1"onerror="x' }), {
      mpesa: false,
      stripe: false,
      paypal: false,
    });
    expect(html).toContain('src="/p/tok/logo?v=1&quot;onerror=&quot;x"');
  });
});
