import { describe, expect, it } from 'vitest';
import { MAX_PRINT_CARDS, printRunInput } from '@kasi/domain';
import { hotspotLoginUrl } from './print-options.ts';
import { cardFace, cardSheet } from './voucher-card.ts';

const batchId = '0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
const parse = (extra: Record<string, unknown>) =>
  printRunInput.parse({ batchId, layout: 'a4', count: 10, ...extra });

describe('print run options', () => {
  it('defaults to the tenant name, no footer and no hotspot (the tenant or server address is filled in later)', () => {
    expect(parse({})).toEqual({
      batchId,
      layout: 'a4',
      count: 10,
      brand: '',
      footer: '',
    });
  });

  it('takes layout, hotspot (without a trailing slash), brand and footer', () => {
    expect(
      parse({
        layout: 'thermal58',
        hotspotUrl: 'https://wifi.example/',
        brand: 'Mama Net',
        footer: 'Call 0700',
      }),
    ).toMatchObject({
      layout: 'thermal58',
      hotspotUrl: 'https://wifi.example',
      brand: 'Mama Net',
      footer: 'Call 0700',
    });
  });

  it.each([
    [{ layout: 'a5' }],
    [{ hotspotUrl: 'javascript:alert(1)' }],
    [{ hotspotUrl: 'ftp://hotspot.lan' }],
    [{ hotspotUrl: 'not a url' }],
    [{ brand: 'x'.repeat(41) }],
    [{ footer: 'x'.repeat(81) }],
    [{ count: MAX_PRINT_CARDS + 1 }],
    [{ count: 0 }],
    [{ count: 2.5 }],
  ])('refuses %o', (extra) => {
    expect(printRunInput.safeParse({ batchId, layout: 'a4', count: 10, ...extra }).success).toBe(false);
  });

  it('builds the hotspot login URL with the raw code as username and password', () => {
    expect(hotspotLoginUrl('http://hotspot.lan', 'KA23456789X')).toBe(
      'http://hotspot.lan/login?username=KA23456789X&password=KA23456789X',
    );
  });
});

describe('card text', () => {
  const plan = {
    name: 'Hour',
    priceMinor: 2000n,
    currency: 'KES',
    validitySeconds: 3600,
    downloadBps: 5_000_000,
  };

  it('shows brand, price, validity and speed; the code grouped but the QR code raw', () => {
    expect(cardSheet('Tenant', plan, { brand: 'Mama Net', footer: 'Thanks' })).toEqual({
      brand: 'Mama Net',
      planName: 'Hour',
      price: '20.00 KES',
      terms: '1 hour · up to 5Mbps',
      footer: 'Thanks',
      logo: null,
      colour: null,
    });
    expect(cardSheet('Tenant', plan, { brand: null, footer: '' }).brand).toBe('Tenant');
    expect(cardFace('KA23456789X', 'http://hotspot.lan')).toEqual({
      code: 'KA23-4567-89X',
      loginUrl: 'http://hotspot.lan/login?username=KA23456789X&password=KA23456789X',
    });
  });
});
