import { describe, expect, it } from 'vitest';
import { emptyHandoverFields, toHandoverInput } from './cash-form.ts';

const ID = '0198c0de-0000-7000-8000-000000000001';

describe('handover form', () => {
  it('turns a decimal amount into exact minor units of the chosen currency', () => {
    expect(toHandoverInput(ID, { amount: '50.10', currency: 'KES', note: ' Friday ' })).toEqual({
      ok: true,
      value: { agentId: ID, amountMinor: 5010n, currency: 'KES', note: 'Friday' },
    });
    expect(toHandoverInput(ID, { amount: '5000', currency: 'UGX', note: '' })).toEqual({
      ok: true,
      value: { agentId: ID, amountMinor: 5000n, currency: 'UGX' },
    });
  });

  it('says what is wrong with the amount', () => {
    const errorOf = (amount: string) => {
      const parsed = toHandoverInput(ID, { ...emptyHandoverFields('KES'), amount });
      return parsed.ok ? null : parsed.errors['amountMinor'];
    };
    expect(errorOf('')).toBe('Required');
    expect(errorOf('0')).toBe('More than 0');
    expect(errorOf('12.345')).toBe('KES has 2 decimal places');
    expect(errorOf('ten')).toBe('"ten" is not an amount');
  });
});
