import { describe, expect, it } from 'vitest';
import {
  VOUCHER_ALPHABET,
  checkCharacter,
  formatVoucherCode,
  generateVoucherCodes,
  isWellFormedVoucherCode,
  normalizeVoucherCode,
} from './voucher-code.ts';

describe('voucher codes', () => {
  it('generates distinct codes of the requested shape', () => {
    const codes = generateVoucherCodes(2000, { length: 8, prefix: 'KA' });
    expect(new Set(codes).size).toBe(2000);
    for (const c of codes) {
      expect(c).toMatch(/^KA/);
      expect(c).toHaveLength(2 + 8 + 1);
      expect(isWellFormedVoucherCode(c)).toBe(true);
    }
  });

  it('catches every single-symbol typo', () => {
    const [code = ''] = generateVoucherCodes(1, { length: 10 });
    for (let i = 0; i < code.length; i++) {
      for (const sym of VOUCHER_ALPHABET) {
        if (sym === code[i]) continue;
        const typo = code.slice(0, i) + sym + code.slice(i + 1);
        expect(isWellFormedVoucherCode(typo)).toBe(false);
      }
    }
  });

  it('catches adjacent transpositions of different symbols', () => {
    const body = '23AB7KMN';
    const good = body + checkCharacter(body);
    const swapped = '32AB7KMN';
    expect(isWellFormedVoucherCode(swapped + good.slice(-1))).toBe(false);
  });

  it('accepts what people type: lower case, spaces and dashes', () => {
    const [code = ''] = generateVoucherCodes(1, { length: 8 });
    const typed = formatVoucherCode(code).toLowerCase().replace('-', ' ');
    expect(normalizeVoucherCode(typed)).toBe(code);
    expect(isWellFormedVoucherCode(typed)).toBe(true);
  });

  it('never uses look-alike characters', () => {
    const all = generateVoucherCodes(500, { length: 12 }).join('');
    expect(all).not.toMatch(/[01OILSUZ]/);
  });

  it('draws large batches of long codes (more random bytes than one getRandomValues call gives)', () => {
    const codes = generateVoucherCodes(5000, { length: 16 });
    expect(new Set(codes).size).toBe(5000);
  });

  it('draws every symbol about equally often', () => {
    const counts = new Map<string, number>();
    for (const c of generateVoucherCodes(4000, { length: 10 })) {
      for (const s of c.slice(0, -1)) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const expected = 40_000 / VOUCHER_ALPHABET.length;
    expect(counts.size).toBe(VOUCHER_ALPHABET.length);
    // Far outside any plausible chance deviation (sd ≈ 37), far inside a modulo bias.
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(250);
  });

  it('rejects lengths outside the supported range and prefixes with foreign symbols', () => {
    expect(() => generateVoucherCodes(1, { length: 3 })).toThrow(/length/);
    expect(() => generateVoucherCodes(1, { length: 8, prefix: 'O0' })).toThrow(/Prefix/);
  });
});
