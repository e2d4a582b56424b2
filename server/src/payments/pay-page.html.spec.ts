import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { linkPage, notFoundPage } from './pay-page.html.ts';
import { PAY_SCRIPT } from './pay-page.script.ts';
import type { OpenLink } from './pay-link.service.ts';

const link = (over: Partial<OpenLink> = {}): OpenLink => ({
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
});
