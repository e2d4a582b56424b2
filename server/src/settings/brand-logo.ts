// The tenant's logo, as cards, receipts and portal pages use it. The settings form sends a
// data: URL (PNG or JPEG, 64 KB at most: @kasi/domain's tenantSettingsInput); before it is
// saved, the bytes must be what the URL says (the file's signature, not only its name) and
// must be an image the voucher-card PDF can draw — checked by drawing it with pdfkit, the
// library that prints the cards. WebP is not taken: PDF cannot embed it.
import PDFDocument from 'pdfkit';
import { invalid } from '@kasi/domain';

export interface BrandLogo {
  mime: 'image/png' | 'image/jpeg';
  bytes: Buffer;
  width: number;
  height: number;
}

/** Larger would only be scaled down on a 2 cm card (and takes long to draw on every page). */
export const LOGO_MAX_SIDE = 2048;

const SIGNATURES: Record<BrandLogo['mime'], number[]> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

type ImageOpener = { openImage(src: Buffer): { width: number; height: number } };

/** The logo's bytes and size, or why it is refused (a typed error on the `logo` field). */
export async function checkLogo(dataUrl: string): Promise<BrandLogo> {
  const refuse = (why: string) => invalid('TENANT.BAD_LOGO', why, { field: 'logo' });
  const m = /^data:(image\/(?:png|jpeg));base64,([A-Za-z0-9+/]+=*)$/.exec(dataUrl);
  if (!m) throw refuse('The logo must be a PNG or JPEG image');
  const mime = m[1] as BrandLogo['mime'];
  const bytes = Buffer.from(m[2] ?? '', 'base64');
  if (!SIGNATURES[mime].every((b, i) => bytes[i] === b))
    throw refuse(`This file is not a ${mime === 'image/png' ? 'PNG' : 'JPEG'} image`);
  let size: { width: number; height: number };
  try {
    // openImage is pdfkit's documented way to read an image's size before drawing it.
    size = (new PDFDocument({ autoFirstPage: false }) as unknown as ImageOpener).openImage(bytes);
    await drawOnce(bytes);
  } catch {
    throw refuse('The logo image cannot be read; save it again as PNG or JPEG');
  }
  const { width, height } = size;
  if (width > LOGO_MAX_SIDE || height > LOGO_MAX_SIDE)
    throw refuse(
      `The logo must be ${LOGO_MAX_SIDE} pixels or smaller on each side (this one is ${width}×${height})`,
    );
  return { mime, bytes, width, height };
}

/** Draws the image into a throw-away PDF: what printing cards will do with it. */
function drawOnce(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: [100, 100], margin: 0 });
    doc.on('data', () => undefined);
    doc.on('end', () => resolve());
    doc.on('error', reject);
    try {
      doc.image(bytes, 0, 0, { fit: [100, 100] });
      doc.end();
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

/**
 * The saved logo for drawing, or null: none set, or one saved before this check that cannot
 * be drawn (a WebP) — the card is then printed without it rather than not at all.
 */
export async function brandLogo(dataUrl: string | null): Promise<BrandLogo | null> {
  if (!dataUrl) return null;
  try {
    return await checkLogo(dataUrl);
  } catch {
    return null;
  }
}

/** #rrggbb or null: what was saved, re-checked where it is written into a page or PDF. */
export const brandColour = (colour: string | null | undefined): string | null =>
  colour && /^#[0-9a-fA-F]{6}$/.test(colour) ? colour : null;
