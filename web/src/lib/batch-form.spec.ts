import { describe, expect, it } from 'vitest';
import { emptyBatchFields, toBatchInput } from './batch-form.ts';

const PLAN_ID = '0b9c3a43-5d7e-4f3c-9a51-8d4c7c2f6e10';

describe('toBatchInput', () => {
  it('accepts the defaults once a plan is chosen, upper-casing the prefix', () => {
    const parsed = toBatchInput({ ...emptyBatchFields(PLAN_ID), prefix: 'ab' });
    expect(parsed).toEqual({
      ok: true,
      value: { planId: PLAN_ID, quantity: 10, codeLength: 8, prefix: 'AB' },
    });
  });

  it('asks for a plan and a sensible quantity and code length', () => {
    const parsed = toBatchInput({ planId: '', quantity: '0', codeLength: '3', prefix: '' });
    expect(!parsed.ok && parsed.errors).toEqual({
      planId: 'Required',
      quantity: 'At least 1',
      codeLength: 'At least 6',
    });
  });

  it('rejects prefix symbols that codes never use', () => {
    const parsed = toBatchInput({ ...emptyBatchFields(PLAN_ID), prefix: 'O0' });
    expect(!parsed.ok && parsed.errors['prefix']).toMatch(/^Prefix symbols:/);
  });
});
