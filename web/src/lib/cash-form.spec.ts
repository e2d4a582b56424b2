import { describe, expect, it } from 'vitest';
import {
  emptyAdjustmentFields,
  emptyHandoverFields,
  toAdjustmentInput,
  toHandoverInput,
} from './cash-form.ts';

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

describe('adjustment form', () => {
  const fields = (over: Partial<ReturnType<typeof emptyAdjustmentFields>>) => ({
    ...emptyAdjustmentFields('KES'),
    ...over,
  });

  it('charges the agent a positive amount and credits a negative one, in minor units', () => {
    expect(
      toAdjustmentInput(ID, fields({ direction: 'charge', amount: '12.50', reason: ' Short ' })),
    ).toEqual({
      ok: true,
      value: { agentId: ID, amountMinor: 1250n, currency: 'KES', note: 'Short' },
    });
    const credit = toAdjustmentInput(ID, fields({ direction: 'credit', amount: '3', reason: 'Refund' }));
    expect(credit).toEqual({
      ok: true,
      value: { agentId: ID, amountMinor: -300n, currency: 'KES', note: 'Refund' },
    });
  });

  it('asks for a direction, an amount without a sign and a reason', () => {
    const errorsOf = (over: Partial<ReturnType<typeof emptyAdjustmentFields>>) => {
      const parsed = toAdjustmentInput(ID, fields(over));
      return parsed.ok ? {} : parsed.errors;
    };
    expect(errorsOf({})).toMatchObject({
      direction: 'Choose whether the agent owes more or less',
      amountMinor: 'Required',
      note: 'Required',
    });
    expect(errorsOf({ direction: 'credit', amount: '-5', reason: 'x' })['amountMinor']).toBe(
      'Type the amount without a sign; the choice above sets the direction',
    );
    expect(errorsOf({ direction: 'charge', amount: '0', reason: 'x' })['amountMinor']).toBe('Not zero');
    expect(errorsOf({ direction: 'charge', amount: '1.234', reason: 'x' })['amountMinor']).toBe(
      'KES has 2 decimal places',
    );
  });
});
