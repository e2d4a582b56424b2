// The tenant's logo and colour on printed cards, read back from the PDF: the logo is embedded
// once however many cards show it, drawn on every card, and the brand line is in the colour;
// without them the cards are as before (no image, black).
import { describe, expect, it } from 'vitest';
import { checkLogo } from '../../settings/brand-logo.ts';
import { dataUrl, solidPng } from '../../settings/png.testing.ts';
import { contentStreams, streamTextRuns } from './pdf-text.testing.ts';
import type { PrintLayout } from './print-options.ts';
import { cardFace, cardSheet, type CardBrand } from './voucher-card.ts';
import { renderVoucherPdf } from './voucher-pdf.ts';

const plan = {
  name: 'Hour',
  priceMinor: 2000n,
  currency: 'KES',
  validitySeconds: 3600,
  downloadBps: 5_000_000,
};
const codes = ['KA23456789X', 'KA3456789XY', 'KA456789XYZ', 'KA56789XYZ2', 'KA6789XYZ23'];

async function render(layout: PrintLayout, look?: CardBrand) {
  const pdf = await renderVoucherPdf({
    layout,
    sheet: cardSheet('Mama Net', plan, { brand: null, footer: '' }, look),
    faces: codes.map((c) => cardFace(c, 'http://hotspot.lan')),
    title: 'test',
    compress: false,
  });
  const text = pdf.toString('latin1');
  const pages = contentStreams(pdf).filter((s) => /\bTJ\b/.test(s));
  return {
    images: text.match(/\/Subtype \/Image/g)?.length ?? 0,
    draws: pages.reduce((n, s) => n + (s.match(/\/I\d+ Do/g)?.length ?? 0), 0),
    pages,
  };
}

/** The first text drawn after each fill colour set by `colour`, before the next colour. */
function textAfterColour(pages: string[], colour: RegExp): string[] {
  return pages.flatMap((s) =>
    s
      .split(colour)
      .slice(1)
      .map((after) => streamTextRuns(after.split(/\bscn\b/)[0] ?? '')[0] ?? ''),
  );
}

// #0b5cad as pdfkit sets a fill colour: each channel over 255, then `scn`.
const BLUE = /0\.0431\d* 0\.3607\d* 0\.6784\d* scn/;

describe('cards in the tenant’s look', () => {
  it.each(['a4', 'thermal58'] as const)(
    '%s: one embedded logo drawn on every card, the brand in the colour',
    async (layout) => {
      const logo = await checkLogo(dataUrl('image/png', solidPng(60, 20)));
      const r = await render(layout, { logo, colour: '#0b5cad' });
      expect(r.images).toBe(1);
      expect(r.draws).toBe(codes.length);
      expect(textAfterColour(r.pages, BLUE)).toEqual(codes.map(() => 'Mama Net'));
    },
  );

  it.each(['a4', 'thermal58'] as const)(
    '%s: without a logo or colour, no image and a black brand',
    async (layout) => {
      const r = await render(layout);
      expect(r.images).toBe(0);
      expect(r.draws).toBe(0);
      expect(r.pages.some((s) => BLUE.test(s))).toBe(false);
    },
  );
});
