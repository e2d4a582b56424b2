import { describe, expect, it } from 'vitest';
import { addMoney, formatMoney, money, parseMoney } from './money.ts';

describe('money', () => {
  it('parses decimal input exactly into minor units', () => {
    expect(parseMoney('12.5', 'KES').amountMinor).toBe(1250n);
    expect(parseMoney('0.10', 'USD').amountMinor).toBe(10n);
    expect(parseMoney('1500', 'UGX').amountMinor).toBe(1500n);
    expect(parseMoney('1.234', 'KWD').amountMinor).toBe(1234n);
  });

  it('refuses more precision than the currency has and non-numbers', () => {
    expect(() => parseMoney('1.005', 'USD')).toThrow(/decimal places/);
    expect(() => parseMoney('1.5', 'UGX')).toThrow(/decimal places/);
    expect(() => parseMoney('abc', 'USD')).toThrow(/not an amount/);
  });

  it('formats without floating point', () => {
    expect(formatMoney(money(123456789012345678n, 'USD'))).toBe('1234567890123456.78 USD');
    expect(formatMoney(money(-5, 'KES'))).toBe('-0.05 KES');
    expect(formatMoney(money(1500, 'UGX'))).toBe('1500 UGX');
  });

  it('will not add different currencies or accept fractional minor units', () => {
    expect(() => addMoney(money(1, 'USD'), money(1, 'KES'))).toThrow(/Cannot add/);
    expect(() => money(1.5, 'USD')).toThrow(/whole numbers/);
    expect(() => money(1, 'usd')).toThrow(/ISO 4217/);
  });
});
