// Invoice, credit note and receipt PDFs in the voucher cards' look: the operator's brand
// and legal details on top, then the lines and totals, the rounding rule, a QR for the pay
// link (a placeholder until pay links exist) and the fiscal signature when there is one.
// Only built-in PDF fonts, so nothing is embedded or loaded.
import PDFDocument from 'pdfkit';
import { formatMoney } from '@kasi/domain';
import { drawQr } from '../vouchers/print/card-draw.ts';

type Doc = PDFKit.PDFDocument;

export interface Letterhead {
  brand: string;
  legalName: string | null;
  legalAddress: string | null;
  taxId: string | null;
}

export interface PdfLine {
  description: string;
  quantity: number;
  unitPriceMinor: bigint;
  taxName: string | null;
  taxInclusive: boolean;
  totalMinor: bigint;
}

export interface InvoiceDocument {
  title: string;
  number: string;
  customer: string;
  currency: string;
  dates: [string, string][];
  lines: PdfLine[];
  totals: [string, bigint][];
  notes: string[];
  payUrl: string | null;
  fiscalSignature: string | null;
}

const M = 50;
const W = 595.28 - 2 * M;

function render(draw: (doc: Doc) => void, title: string, compress = true): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: M,
    compress,
    info: { Title: title, Producer: 'Kasi', Creator: 'Kasi' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}

function letterhead(doc: Doc, head: Letterhead, title: string, number: string): void {
  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .text(head.brand, M, M, { width: W / 2 });
  doc.font('Helvetica').fontSize(9);
  for (const line of [head.legalName, head.legalAddress, head.taxId && `Tax ID ${head.taxId}`]) {
    if (line) doc.text(line, { width: W / 2 });
  }
  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(title, M + W / 2, M, { width: W / 2, align: 'right' });
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(number, M + W / 2, M + 22, { width: W / 2, align: 'right' });
  doc.moveDown(3);
}

function row(doc: Doc, cells: [string, number, 'left' | 'right'][], y: number, bold = false): void {
  let x = M;
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
  for (const [text, width, align] of cells) {
    doc.text(text, x, y, { width: width - 4, align, lineBreak: false, ellipsis: true });
    x += width;
  }
}

function payBox(doc: Doc, url: string | null, y: number): void {
  const size = 90;
  const x = M + W - size;
  if (url) drawQr(doc, url, x, y, size);
  else {
    doc.save().lineWidth(0.5).dash(2, { space: 2 }).rect(x, y, size, size).stroke().restore();
    doc.fontSize(7).text('Pay link QR', x, y + size / 2 - 4, { width: size, align: 'center' });
  }
}

export function renderInvoicePdf(head: Letterhead, d: InvoiceDocument, compress = true): Promise<Buffer> {
  const money = (amountMinor: bigint) => formatMoney({ amountMinor, currency: d.currency });
  return render(
    (doc) => {
      letterhead(doc, head, d.title, d.number);
      let y = doc.y;
      doc.font('Helvetica-Bold').fontSize(10).text('Bill to', M, y);
      doc.font('Helvetica').text(d.customer, M, y + 13);
      d.dates.forEach(([k, v], i) =>
        doc.text(`${k}: ${v}`, M + W / 2, y + 13 * i, { width: W / 2, align: 'right' }),
      );
      y += Math.max(2, d.dates.length) * 13 + 20;
      const cols = [W * 0.44, W * 0.08, W * 0.16, W * 0.14, W * 0.18];
      row(
        doc,
        [
          ['Description', cols[0] ?? 0, 'left'],
          ['Qty', cols[1] ?? 0, 'right'],
          ['Unit price', cols[2] ?? 0, 'right'],
          ['Tax', cols[3] ?? 0, 'right'],
          ['Amount', cols[4] ?? 0, 'right'],
        ],
        y,
        true,
      );
      y += 16;
      for (const l of d.lines) {
        const tax = l.taxName ? `${l.taxName}${l.taxInclusive ? ' incl.' : ''}` : '—';
        row(
          doc,
          [
            [l.description, cols[0] ?? 0, 'left'],
            [String(l.quantity), cols[1] ?? 0, 'right'],
            [money(l.unitPriceMinor), cols[2] ?? 0, 'right'],
            [tax, cols[3] ?? 0, 'right'],
            [money(l.totalMinor), cols[4] ?? 0, 'right'],
          ],
          y,
        );
        y += 14;
        if (y > 700) {
          doc.addPage();
          y = M;
        }
      }
      y += 10;
      for (const [label, amount] of d.totals) {
        row(
          doc,
          [
            [label, W * 0.82, 'right'],
            [money(amount), W * 0.18, 'right'],
          ],
          y,
          label === 'Total' || label === 'Due',
        );
        y += 14;
      }
      payBox(doc, d.payUrl, y + 10);
      doc.font('Helvetica').fontSize(8);
      d.notes.forEach((n, i) => doc.text(n, M, y + 14 + i * 11, { width: W - 110 }));
      const sig = d.fiscalSignature ? `Fiscal signature: ${d.fiscalSignature}` : 'Not fiscally signed.';
      doc.text(sig, M, y + 14 + d.notes.length * 11 + 6, { width: W - 110 });
    },
    `${d.title} ${d.number}`,
    compress,
  );
}
