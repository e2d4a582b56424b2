// Draws one card into a slot: a compact landscape card for A4 sheets, a tall centred
// block for 58 mm receipts. Only built-in PDF fonts, so no font is embedded or loaded; the
// tenant's logo, when set, is embedded once per PDF and drawn beside the brand, in its colour.
import QRCode from 'qrcode';
import type { CardSlot } from './print-layout.ts';
import type { CardFace, CardSheet } from './voucher-card.ts';

type Doc = PDFKit.PDFDocument;
/** An image pdfkit opened once per document, so every card refers to one embedded copy. */
export interface OpenedImage {
  width: number;
  height: number;
}

/** Opens the sheet's logo in `doc` (once per PDF); null without one. */
export function openLogo(doc: Doc, sheet: CardSheet): OpenedImage | null {
  if (!sheet.logo) return null;
  return (doc as unknown as { openImage(src: Buffer): OpenedImage }).openImage(sheet.logo.bytes);
}

/** Draws the logo to fit `w`×`h` at (x, y), left-aligned; returns the width it took. */
function drawLogo(doc: Doc, logo: OpenedImage, x: number, y: number, w: number, h: number): number {
  const scale = Math.min(w / logo.width, h / logo.height);
  const drawn = logo.width * scale;
  doc.image(logo as unknown as Buffer, x, y, { width: drawn, height: logo.height * scale });
  return drawn;
}

const PAD = 6;
const CODE_FONT = 'Courier-Bold';
/** Courier advances 0.6 em per character, so the code's width is known without measuring. */
const COURIER_ADVANCE = 0.6;

/**
 * Vector QR code: one filled path, crisp on any printer. Drawn in module units (integer
 * coordinates) with each row's dark runs merged, which keeps the content stream, and so
 * render and compression time, a third of one square per module.
 */
export function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  // One byte segment: the library's optimal segmentation costs more than it saves for a URL.
  const { modules } = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
  });
  const quiet = 2;
  const n = modules.size;
  doc
    .save()
    .translate(x, y)
    .scale(size / (n + 2 * quiet));
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && modules.get(r, c)) c++;
      doc.rect(start + quiet, r + quiet, c - start, 1);
    }
  }
  doc.fill('#000000').restore();
}

function line(doc: Doc, text: string, font: string, size: number, x: number, y: number, width: number) {
  doc.font(font).fontSize(size).text(text, x, y, { width, lineBreak: false, ellipsis: true });
}

function codeLine(doc: Doc, code: string, x: number, y: number, width: number, maxSize: number) {
  const size = Math.min(maxSize, width / (code.length * COURIER_ADVANCE));
  doc.font(CODE_FONT).fontSize(size).text(code, x, y, { width, align: 'center', lineBreak: false });
}

export function drawA4Card(
  doc: Doc,
  slot: CardSlot,
  sheet: CardSheet,
  face: CardFace,
  logo: OpenedImage | null = null,
): void {
  const { x, y, width, height } = slot;
  doc.save().lineWidth(0.5).dash(2, { space: 2 }).strokeColor('#999999');
  doc.rect(x, y, width, height).stroke().restore();
  const footerH = sheet.footer ? 9 : 0;
  const codeH = 16;
  const qr = Math.min(height - 2 * PAD - codeH - footerH, width * 0.42);
  drawQr(doc, face.loginUrl, x + width - PAD - qr, y + PAD, qr);
  const textW = width - 3 * PAD - qr;
  // The logo (at most 12 pt high, a third of the text column wide) leads the brand line.
  const logoW = logo ? drawLogo(doc, logo, x + PAD, y + PAD - 1, textW / 3, 12) + 4 : 0;
  doc.fillColor(sheet.colour ?? '#000000');
  line(doc, sheet.brand, 'Helvetica-Bold', 9, x + PAD + logoW, y + PAD, textW - logoW);
  doc.fillColor('#000000');
  line(doc, sheet.planName, 'Helvetica', 8, x + PAD, y + PAD + 13, textW);
  line(doc, sheet.price, 'Helvetica-Bold', 12, x + PAD, y + PAD + 26, textW);
  doc
    .font('Helvetica')
    .fontSize(6.5)
    .text(sheet.terms, x + PAD, y + PAD + 43, { width: textW, height: 18 });
  codeLine(doc, face.code, x + PAD, y + PAD + qr + 2, width - 2 * PAD, 14);
  if (sheet.footer) line(doc, sheet.footer, 'Helvetica', 6, x + PAD, y + height - PAD - 7, width - 2 * PAD);
}

export function drawReceiptCard(
  doc: Doc,
  slot: CardSlot,
  sheet: CardSheet,
  face: CardFace,
  logo: OpenedImage | null = null,
): void {
  const { x, width } = slot;
  const inner = width - 2 * PAD;
  const centred = (text: string, font: string, size: number, y: number) =>
    doc
      .font(font)
      .fontSize(size)
      .text(text, x + PAD, y, { width: inner, align: 'center', ellipsis: true });
  if (logo) {
    // Left of the brand, which keeps equal margins so it stays centred on the paper.
    drawLogo(doc, logo, x + PAD, 5, 28, 16);
    doc
      .fillColor(sheet.colour ?? '#000000')
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(sheet.brand, x + PAD + 32, 8, {
        width: inner - 64,
        align: 'center',
        ellipsis: true,
        lineBreak: false,
      });
  } else {
    doc.fillColor(sheet.colour ?? '#000000');
    centred(sheet.brand, 'Helvetica-Bold', 11, 8);
  }
  doc.fillColor('#000000');
  centred(sheet.planName, 'Helvetica', 9, 24);
  centred(sheet.price, 'Helvetica-Bold', 13, 37);
  centred(sheet.terms, 'Helvetica', 7, 54);
  const qr = 104;
  drawQr(doc, face.loginUrl, x + (width - qr) / 2, 66, qr);
  codeLine(doc, face.code, x + PAD, 174, inner, 16);
  if (sheet.footer) centred(sheet.footer, 'Helvetica', 7, 196);
  doc.save().lineWidth(0.5).dash(3, { space: 3 }).strokeColor('#000000');
  doc
    .moveTo(x, slot.height - 2)
    .lineTo(x + width, slot.height - 2)
    .stroke()
    .restore();
}
