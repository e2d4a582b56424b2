import { describe, expect, it } from 'vitest';
import { mayCall, mutationsOpenToViewers, PROCEDURE_ACCESS, procedureRule } from './procedure-access.ts';
import { PERMISSIONS, ROLES } from './roles.ts';

describe('procedure access table', () => {
  it('names a known permission, public or self for every procedure', () => {
    const known = new Set<string>([...PERMISSIONS, 'public', 'self']);
    const unknown = Object.entries(PROCEDURE_ACCESS).filter(([, r]) => !known.has(r.access));
    expect(unknown).toEqual([]);
  });

  it('gives viewers no mutation', () => {
    expect(mutationsOpenToViewers()).toEqual([]);
    expect(mutationsOpenToViewers({ 'x.write': { kind: 'mutation', access: 'plan.read' } })).toEqual([
      'x.write',
    ]);
  });

  it('lets every role sign in and out but only permitted roles do the rest', () => {
    for (const role of ROLES) {
      expect(mayCall(role, 'auth.login')).toBe(true);
      expect(mayCall(role, 'auth.logout')).toBe(true);
    }
    expect(ROLES.filter((r) => mayCall(r, 'voucher.void'))).toEqual(['owner', 'admin', 'operator']);
    expect(ROLES.filter((r) => mayCall(r, 'sync.push'))).toEqual(['owner', 'agent']);
  });

  it('refuses procedures it does not know, including inherited object keys', () => {
    expect(mayCall('owner', 'voucher.nope')).toBe(false);
    expect(procedureRule('toString')).toBeUndefined();
  });
});
