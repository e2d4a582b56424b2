// Where each card goes: pure geometry in PDF points (1/72 inch), so it can be tested
// without drawing anything.
import type { PrintLayout } from './print-options.ts';

export interface CardSlot {
  /** Position of the card in the batch. */
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageLayout {
  size: [width: number, height: number];
  slots: CardSlot[];
}

export const A4: [number, number] = [595.28, 841.89];
/** 58 mm paper; printers print about 48 mm of it, hence the wide margins. */
export const THERMAL58_WIDTH = 164;
export const THERMAL58_CARD_HEIGHT = 222;

export interface GridSpec {
  columns: number;
  rows: number;
  margin: number;
}

export const A4_GRID: GridSpec = { columns: 3, rows: 7, margin: 18 };

/** Cards per A4 page in reading order, edge to edge so one guillotine cut separates them. */
export function gridSlots(page: [number, number], grid: GridSpec, firstIndex: number, count: number) {
  const width = (page[0] - 2 * grid.margin) / grid.columns;
  const height = (page[1] - 2 * grid.margin) / grid.rows;
  const slots: CardSlot[] = [];
  for (let i = 0; i < count; i++) {
    slots.push({
      index: firstIndex + i,
      x: grid.margin + (i % grid.columns) * width,
      y: grid.margin + Math.floor(i / grid.columns) * height,
      width,
      height,
    });
  }
  return slots;
}

export function a4Pages(cardCount: number, grid: GridSpec = A4_GRID): PageLayout[] {
  const perPage = grid.columns * grid.rows;
  const pages: PageLayout[] = [];
  for (let first = 0; first < cardCount; first += perPage) {
    pages.push({ size: A4, slots: gridSlots(A4, grid, first, Math.min(perPage, cardCount - first)) });
  }
  return pages;
}

/** One receipt per page: thermal printer drivers feed and cut between pages. */
export function thermalPages(cardCount: number): PageLayout[] {
  return Array.from({ length: cardCount }, (_, index) => ({
    size: [THERMAL58_WIDTH, THERMAL58_CARD_HEIGHT],
    slots: [{ index, x: 0, y: 0, width: THERMAL58_WIDTH, height: THERMAL58_CARD_HEIGHT }],
  }));
}

export function layoutPages(layout: PrintLayout, cardCount: number): PageLayout[] {
  return layout === 'a4' ? a4Pages(cardCount) : thermalPages(cardCount);
}
