import { describe, expect, it } from 'vitest';
import { BUILTIN_SMS_TEMPLATES, renderTemplate, smsTextInfo } from '@kasi/domain';
import { saleReceiptVars } from './receipt-text.ts';

const facts = {
  tenantName: 'Acme WISP',
  code: 'KA7Q3MXRT',
  planName: 'Hour',
  hotspotUrl: 'http://hotspot.lan',
};
const render = (vars: Record<string, string>) =>
  renderTemplate(BUILTIN_SMS_TEMPLATES.en.sale_receipt, vars).text;

describe('sale receipt text', () => {
  it('names the seller, the code, the plan and where to log in, in one segment', () => {
    const text = render(saleReceiptVars(facts));
    expect(text).toBe(
      'Acme WISP: Wi-Fi voucher KA7Q3MXRT (Hour). Join the Wi-Fi, open http://hotspot.lan and log in with the code.',
    );
    expect(smsTextInfo(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('clips long names and keeps curly quotes and dashes from forcing UCS-2', () => {
    const vars = saleReceiptVars({
      ...facts,
      tenantName: 'Greater Nairobi Community Wireless',
      planName: 'Weekend unlimited — 10 Mbps “family”',
    });
    expect(vars.tenant).toBe('Greater Nairobi Communi.');
    expect(vars.plan).toBe('Weekend unlimited - 10 Mbps "fa.');
    expect(smsTextInfo(render(vars)).encoding).toBe('GSM-7');
  });
});
