import { describe, expect, it } from 'vitest';
import {
  agentSettingsFields,
  emptyAgentFields,
  formatCommission,
  leaseCost,
  moneyText,
  percentText,
  toAgentInput,
  toAgentUpdate,
  toLeaseInput,
} from './agent-admin-form.ts';

const ID = '0198c0de-0000-7000-8000-000000000001';

describe('agent form', () => {
  it('turns a decimal limit and a percentage into minor units and basis points', () => {
    const parsed = toAgentInput(
      {
        name: 'Amina Field',
        email: ' amina@acme.test ',
        password: 'agent password 1',
        creditLimit: '1500.50',
        commission: '2.5',
      },
      'KES',
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        name: 'Amina Field',
        email: 'amina@acme.test',
        password: 'agent password 1',
        creditLimitMinor: 150_050n,
        commissionBps: 250,
      },
    });
  });

  it('points at each wrong field in plain words', () => {
    const parsed = toAgentInput(
      {
        ...emptyAgentFields(),
        name: 'A',
        email: 'nope',
        password: 'short',
        creditLimit: '1.234',
        commission: '120',
      },
      'KES',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual([
      'commissionBps',
      'creditLimitMinor',
      'email',
      'password',
    ]);
    expect(parsed.errors['creditLimitMinor']).toBe('KES has 2 decimal places');
    expect(parsed.errors['commissionBps']).toBe('At most 10000');
    expect(parsed.errors['password']).toBe('At least 10 characters');
  });

  it('refuses a commission with more than two decimals', () => {
    const parsed = toAgentInput({ ...emptyAgentFields(), commission: '2.555' }, 'KES');
    expect(parsed.ok ? null : parsed.errors['commissionBps']).toBe('A percentage such as 5 or 2.5');
  });
});

describe('agent settings', () => {
  it('shows current values as the text a person would type', () => {
    expect(
      agentSettingsFields({
        creditLimitMinor: 100_000n,
        currency: 'KES',
        commissionBps: 250,
        status: 'active',
      }),
    ).toEqual({ creditLimit: '1000.00', commission: '2.5', status: 'active' });
    expect(moneyText(5n, 'UGX')).toBe('5');
    expect(moneyText(-1250n, 'KES')).toBe('-12.50');
    expect(percentText(1000)).toBe('10');
    expect(percentText(5)).toBe('0.05');
    expect(formatCommission(250)).toBe('2.5 %');
  });

  it('builds a patch and reports errors under the field names', () => {
    expect(toAgentUpdate(ID, { creditLimit: '20', commission: '0', status: 'suspended' }, 'KES')).toEqual({
      ok: true,
      value: { id: ID, patch: { creditLimitMinor: 2000n, commissionBps: 0, status: 'suspended' } },
    });
    const bad = toAgentUpdate(ID, { creditLimit: '-5', commission: 'x', status: 'active' }, 'KES');
    expect(bad.ok ? null : Object.keys(bad.errors).sort()).toEqual(['commissionBps', 'creditLimitMinor']);
  });
});

describe('lease form', () => {
  it('needs a device, a plan and a whole count', () => {
    const parsed = toLeaseInput({ deviceId: '', planId: '', count: '2.5' });
    expect(parsed.ok ? null : Object.keys(parsed.errors).sort()).toEqual(['count', 'deviceId', 'planId']);
    expect(toLeaseInput({ deviceId: ID, planId: ID, count: '20' })).toEqual({
      ok: true,
      value: { deviceId: ID, planId: ID, count: 20 },
    });
  });

  it('prices a lease against the room the agent has left', () => {
    expect(leaseCost(2000n, '5', 10_000n)).toEqual({ costMinor: 10_000n, fits: true });
    expect(leaseCost(2000n, '6', 10_000n)).toEqual({ costMinor: 12_000n, fits: false });
    expect(leaseCost(2000n, '', 10_000n)).toBeNull();
  });
});
