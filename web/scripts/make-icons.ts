// Draws the app icon (a signal mark: a dot under two arcs) as SVG and as 192/512 px PNGs
// in static/icons. Run by hand when the design changes: `node scripts/make-icons.ts`.
// PNGs are written directly (zlib + CRC) so no image tool is needed; the mark stays inside
// the maskable safe zone (a centred circle of 40% radius) so launchers can crop it.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const BACKGROUND = [0x0b, 0x4f, 0x3c] as const;
const INK = [0xff, 0xff, 0xff] as const;
// Geometry on a 512-unit canvas.
const CX = 256;
const CY = 332;
const DOT = 36;
const ARCS = [96, 168];
const HALF_STROKE = 20;

function inMark(x: number, y: number): boolean {
  const dx = x - CX;
  const dy = y - CY;
  const d = Math.hypot(dx, dy);
  if (d <= DOT) return true;
  for (const r of ARCS) {
    // The arcs span 45° either side of straight up, with round caps.
    if (dy < 0 && Math.abs(dx) <= -dy && Math.abs(d - r) <= HALF_STROKE) return true;
    const end = r / Math.SQRT2;
    if (Math.hypot(Math.abs(dx) - end, dy + end) <= HALF_STROKE) return true;
  }
  return false;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size: number): Buffer {
  const SS = 4; // supersampling per axis, for smooth edges
  const row = 1 + size * 3;
  const raw = Buffer.alloc(row * size);
  for (let py = 0; py < size; py++) {
    raw[py * row] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          const x = ((px + (sx + 0.5) / SS) * 512) / size;
          const y = ((py + (sy + 0.5) / SS) * 512) / size;
          if (inMark(x, y)) hits++;
        }
      const a = hits / (SS * SS);
      for (let c = 0; c < 3; c++) {
        raw[py * row + 1 + px * 3 + c] = Math.round((BACKGROUND[c] ?? 0) * (1 - a) + (INK[c] ?? 0) * a);
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function arcPath(r: number): string {
  const e = (r / Math.SQRT2).toFixed(2);
  const y = (CY - r / Math.SQRT2).toFixed(2);
  return `<path d="M${(CX - Number(e)).toFixed(2)} ${y}A${r} ${r} 0 0 1 ${(CX + Number(e)).toFixed(2)} ${y}"/>`;
}

function svg(): string {
  const hex = `#${BACKGROUND.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">',
    `<rect width="512" height="512" rx="96" fill="${hex}"/>`,
    `<g fill="none" stroke="#fff" stroke-width="${HALF_STROKE * 2}" stroke-linecap="round">`,
    ...ARCS.map(arcPath),
    '</g>',
    `<circle cx="${CX}" cy="${CY}" r="${DOT}" fill="#fff"/>`,
    '</svg>',
    '',
  ].join('\n');
}

const dir = new URL('../static/icons/', import.meta.url);
writeFileSync(new URL('icon.svg', dir), svg());
for (const size of [192, 512]) writeFileSync(new URL(`icon-${size}.png`, dir), png(size));
