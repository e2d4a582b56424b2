import { describe, expect, it } from 'vitest';
import { gsm7Segments } from './gsm7.ts';
import { saleReceiptText } from './receipt-text.ts';

const facts = {
  tenantName: 'Acme WISP',
  code: 'KA7Q3MXRT',
  planName: 'Hour',
  hotspotUrl: 'http://hotspot.lan',
};

describe('sale receipt text', () => {
  it('names the seller, the code, the plan and where to log in, in one segment', () => {
    const text = saleReceiptText(facts);
    expect(text).toBe(
      'Acme WISP: Wi-Fi voucher KA7Q3MXRT (Hour). Join the Wi-Fi, open http://hotspot.lan and log in with the code.',
    );
    expect(gsm7Segments(text)).toBe(1);
  });

  it('drops the seller before letting a long plan name cost a second segment', () => {
    const text = saleReceiptText({
      ...facts,
      tenantName: 'Greater Nairobi Community Wireless',
      planName: 'Weekend unlimited — 10 Mbps “family”',
      hotspotUrl: 'http://login.greater-nairobi.example',
    });
    expect(text.startsWith('Your Wi-Fi voucher KA7Q3MXRT (Weekend unlimited - 10 Mbps "fa.)')).toBe(true);
    expect(text).not.toMatch(/[“”—]/);
  });
});
