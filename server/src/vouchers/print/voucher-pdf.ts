// Renders cards to one PDF in memory. Requests are capped (MAX_PRINT_CARDS, well under a
// megabyte compressed), and drawing yields between pages so other requests are served.
import PDFDocument from 'pdfkit';
import { drawA4Card, drawReceiptCard, openLogo } from './card-draw.ts';
import { layoutPages } from './print-layout.ts';
import type { PrintLayout } from './print-options.ts';
import type { CardFace, CardSheet } from './voucher-card.ts';

export interface RenderInput {
  layout: PrintLayout;
  sheet: CardSheet;
  faces: CardFace[];
  title: string;
  /** Tests turn compression off to read the content streams. */
  compress?: boolean;
}

export async function renderVoucherPdf(input: RenderInput): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: input.compress ?? true,
    info: { Title: input.title, Producer: 'Kasi', Creator: 'Kasi' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const draw = input.layout === 'a4' ? drawA4Card : drawReceiptCard;
  const logo = openLogo(doc, input.sheet);
  for (const page of layoutPages(input.layout, input.faces.length)) {
    await new Promise((resolve) => setImmediate(resolve));
    doc.addPage({ size: page.size, margin: 0 });
    for (const slot of page.slots) {
      const face = input.faces[slot.index];
      if (face) draw(doc, slot, input.sheet, face, logo);
    }
  }
  doc.end();
  return done;
}
