import { describe, expect, it } from 'vitest';
import { A4, A4_GRID, a4Pages, layoutPages, THERMAL58_WIDTH, thermalPages } from './print-layout.ts';

describe('print layout', () => {
  it('puts 21 cards on each A4 page and the rest on a last, partial page', () => {
    const pages = a4Pages(50);
    expect(pages.map((p) => p.slots.length)).toEqual([21, 21, 8]);
    expect(pages.flatMap((p) => p.slots.map((s) => s.index))).toEqual([...Array(50).keys()]);
    expect(pages.every((p) => p.size === A4)).toBe(true);
  });

  it('fills A4 rows left to right inside the margins without overlap', () => {
    const [first] = a4Pages(21);
    const slots = first?.slots ?? [];
    expect(slots[0]).toMatchObject({ x: A4_GRID.margin, y: A4_GRID.margin });
    expect(slots[1]?.x).toBeCloseTo((slots[0]?.x ?? 0) + (slots[0]?.width ?? 0));
    expect(slots[3]?.y).toBeCloseTo((slots[0]?.y ?? 0) + (slots[0]?.height ?? 0));
    const last = slots[20];
    expect((last?.x ?? 0) + (last?.width ?? 0)).toBeCloseTo(A4[0] - A4_GRID.margin);
    expect((last?.y ?? 0) + (last?.height ?? 0)).toBeCloseTo(A4[1] - A4_GRID.margin);
  });

  it('prints one receipt per 58 mm page', () => {
    const pages = thermalPages(3);
    expect(pages).toHaveLength(3);
    for (const [i, p] of pages.entries()) {
      expect(p.size[0]).toBe(THERMAL58_WIDTH);
      expect(p.slots).toEqual([{ index: i, x: 0, y: 0, width: THERMAL58_WIDTH, height: p.size[1] }]);
    }
  });

  it('makes no pages for no cards, and picks geometry by layout name', () => {
    expect(a4Pages(0)).toEqual([]);
    expect(layoutPages('a4', 22)).toHaveLength(2);
    expect(layoutPages('thermal58', 22)).toHaveLength(22);
  });
});
