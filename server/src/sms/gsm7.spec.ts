import { describe, expect, it } from 'vitest';
import { gsm7Segments, toGsm7 } from './gsm7.ts';

describe('GSM 7-bit text', () => {
  it('replaces curly quotes, dashes and accents instead of switching to UCS-2', () => {
    expect(toGsm7('Amina’s “Day” pass – 1 hour… ×2')).toBe('Amina\'s "Day" pass - 1 hour... x2');
    expect(toGsm7('Café Ñandú')).toBe('Café Ñandu');
    expect(toGsm7('Mañana Łódź')).toBe('Mañana ?odz');
    expect(toGsm7('Wi-Fi 🚀')).toBe('Wi-Fi ?');
  });

  it('counts segments, extension characters twice', () => {
    expect(gsm7Segments('a'.repeat(160))).toBe(1);
    expect(gsm7Segments('a'.repeat(161))).toBe(2);
    expect(gsm7Segments('€'.repeat(80))).toBe(1);
    expect(gsm7Segments('€'.repeat(81))).toBe(2);
    expect(gsm7Segments('a'.repeat(307))).toBe(3);
  });
});
