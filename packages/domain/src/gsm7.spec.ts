import { describe, expect, it } from 'vitest';
import { gsm7Segments, smsTextInfo, toGsm7 } from './gsm7.ts';

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

describe('SMS text info', () => {
  it('names the characters that force UCS-2 and counts its shorter segments', () => {
    expect(smsTextInfo('Habari, salio lako ni KES 200.')).toEqual({
      encoding: 'GSM-7',
      segments: 1,
      units: 30,
      ucs2Chars: [],
    });
    const info = smsTextInfo(`It’s “done” ${'a'.repeat(50)}`);
    expect(info.encoding).toBe('UCS-2');
    expect(info.ucs2Chars).toEqual(['’', '“', '”']);
    expect(info.segments).toBe(1);
    expect(smsTextInfo('’'.repeat(71)).segments).toBe(2);
    expect(smsTextInfo('’'.repeat(135)).segments).toBe(3);
    expect(smsTextInfo('€'.repeat(81))).toMatchObject({ encoding: 'GSM-7', units: 162, segments: 2 });
  });
});
