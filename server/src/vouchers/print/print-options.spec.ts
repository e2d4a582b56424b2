import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTSPOT_URL, hotspotLoginUrl, MAX_PRINT_CARDS, parsePrintOptions } from './print-options.ts';
import { cardFace, cardSheet } from './voucher-card.ts';

const parse = (query: string) => parsePrintOptions(new URLSearchParams(query));

describe('print options', () => {
  it('defaults to A4, the tenant name and the default hotspot', () => {
    expect(parse('')).toEqual({
      layout: 'a4',
      hotspotUrl: DEFAULT_HOTSPOT_URL,
      brand: null,
      footer: '',
      offset: 0,
      limit: MAX_PRINT_CARDS,
    });
  });

  it('takes layout, hotspot, brand and footer from the query', () => {
    const query = 'layout=thermal58&hotspot=https://wifi.example/&brand=Mama+Net&footer=Call+0700';
    expect(parse(`${query}&offset=2100&limit=50`)).toEqual({
      layout: 'thermal58',
      hotspotUrl: 'https://wifi.example',
      brand: 'Mama Net',
      footer: 'Call 0700',
      offset: 2100,
      limit: 50,
    });
  });

  it.each([
    ['layout=a5'],
    ['hotspot=javascript:alert(1)'],
    ['hotspot=ftp://hotspot.lan'],
    ['hotspot=not a url'],
    [`brand=${'x'.repeat(41)}`],
    [`footer=${'x'.repeat(81)}`],
    [`limit=${MAX_PRINT_CARDS + 1}`],
    ['offset=-1'],
    ['limit=ten'],
  ])('rejects %s with a typed error', (query) => {
    expect(() => parse(query)).toThrow(expect.objectContaining({ code: 'VOUCHER_PRINT.BAD_OPTIONS' }));
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
    const options = parse('brand=Mama+Net&footer=Thanks');
    expect(cardSheet('Tenant', plan, options)).toEqual({
      brand: 'Mama Net',
      planName: 'Hour',
      price: '20.00 KES',
      terms: '1 hour · up to 5Mbps',
      footer: 'Thanks',
    });
    expect(cardSheet('Tenant', plan, parse('')).brand).toBe('Tenant');
    expect(cardFace('KA23456789X', 'http://hotspot.lan')).toEqual({
      code: 'KA23-4567-89X',
      loginUrl: 'http://hotspot.lan/login?username=KA23456789X&password=KA23456789X',
    });
  });
});
