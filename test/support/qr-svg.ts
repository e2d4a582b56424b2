// Reads a QR code drawn as SVG by `qrcode` (one stroked path of 1-module-high runs, as the
// console shows it) back to its text: the path is painted into a bitmap, which jsQR — a
// decoder independent of the generator — scans like a camera frame.
import * as jsqr from 'jsqr';

type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr is a UMD bundle whose module is the function itself; its types call it a `default` export.
// Taken either way, so Node's CommonJS interop and a bundler's both find it.
const jsqrModule = jsqr as unknown as { default?: unknown };
const jsQR = (typeof jsqrModule.default === 'function' ? jsqrModule.default : jsqr) as Decode;

const SCALE = 6;

/** The dark modules of the SVG's path as a square bitmap (RGBA, white around). */
export function svgQrBitmap(svg: string): { data: Uint8ClampedArray; size: number } {
  const box = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const stroke = /<path[^>]*\bstroke="[^"]+"[^>]*\sd="([^"]+)"/.exec(svg);
  if (!box || !stroke) throw new Error('not a qrcode SVG: no viewBox or stroked path');
  const modules = Number(box[1]);
  const size = modules * SCALE;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  const paint = (x: number, row: number) => {
    for (let py = row * SCALE; py < (row + 1) * SCALE; py++)
      for (let px = x * SCALE; px < (x + 1) * SCALE; px++)
        data.fill(0, (py * size + px) * 4, (py * size + px) * 4 + 3);
  };
  let x = 0;
  let y = 0;
  for (const [, cmd, args] of (stroke[1] ?? '').matchAll(/([MmHhVvZz])([^MmHhVvZz]*)/g)) {
    const n = (args ?? '')
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (cmd === 'M') [x, y] = [n[0] ?? 0, n[1] ?? 0];
    else if (cmd === 'm') [x, y] = [x + (n[0] ?? 0), y + (n[1] ?? 0)];
    else if (cmd === 'h' || cmd === 'H') {
      const to = cmd === 'h' ? x + (n[0] ?? 0) : (n[0] ?? 0);
      // A horizontal line of width 1 centred on y = row + 0.5 paints the modules it crosses.
      for (let c = Math.min(x, to); c < Math.max(x, to); c++) paint(c, Math.floor(y));
      x = to;
    } else throw new Error(`unexpected path command ${cmd}`);
  }
  return { data, size };
}

/** The text a qrcode SVG encodes, read by jsQR; null if it cannot be read. */
export function decodeSvgQr(svg: string): string | null {
  const { data, size } = svgQrBitmap(svg);
  return jsQR(data, size, size)?.data ?? null;
}
