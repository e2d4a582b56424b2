import { describe, expect, it } from 'vitest';
import { maskCode, maskPhone, toE164 } from './phone-number.ts';

describe('buyer phone numbers', () => {
  it('keeps international numbers and turns 00 into +', () => {
    expect(toE164('+254 712 345 678', null)).toBe('+254712345678');
    expect(toE164('00254712345678', null)).toBe('+254712345678');
  });

  it('completes national numbers only with a configured country code', () => {
    expect(toE164('0712345678', null)).toBeNull();
    expect(toE164('712345678', null)).toBeNull();
    expect(toE164('0712345678', '254')).toBe('+254712345678');
    expect(toE164('712345678', '254')).toBe('+254712345678');
    expect(toE164('254712345678', '254')).toBe('+254712345678');
  });

  it('refuses what cannot be a phone number', () => {
    expect(toE164('+0123456789', null)).toBeNull();
    expect(toE164('+12', null)).toBeNull();
    expect(toE164('07', '254')).toBeNull();
  });

  it('masks numbers and codes for logs, always hiding at least six characters', () => {
    expect(maskPhone('+254712345678')).toBe('+2547…78');
    expect(maskPhone('0712345678')).toBe('07…78');
    expect(maskPhone('12345678')).toBe('…78');
    expect(maskPhone('1234567')).toBe('…');
    expect(maskPhone('+2547')).toBe('…');
    expect(maskCode('KA7Q3MXRT')).toBe('KA…');
  });
});
