import { describe, expect, it } from 'vitest';
import { MASKED, planActions, viewOp } from './change-plan-view.ts';

describe('viewOp', () => {
  it('shows an added row as new values only', () => {
    const view = viewOp({ kind: 'add', path: '/radius', values: { address: '192.0.2.10', secret: MASKED } });
    expect(view).toMatchObject({ verb: 'Add', path: '/radius', target: null });
    expect(view.lines).toEqual([
      { key: 'address', before: null, after: '192.0.2.10', changed: true },
      { key: 'secret', before: null, after: MASKED, changed: true },
    ]);
  });

  it('shows a change as before and after per setting, marking what differs', () => {
    const view = viewOp({
      kind: 'set',
      path: '/ppp/aaa',
      id: null,
      values: { 'use-radius': 'true', accounting: 'true' },
      before: { 'use-radius': 'false', accounting: 'true' },
    });
    expect(view.lines.map((l) => [l.key, l.before, l.after, l.changed])).toEqual([
      ['use-radius', 'false', 'true', true],
      ['accounting', 'true', 'true', false],
    ]);
  });
});

describe('planActions', () => {
  it('offers only the next step for each status', () => {
    expect(planActions('pending')).toEqual(['approve', 'reject']);
    expect(planActions('approved')).toEqual(['apply']);
    expect(planActions('applied')).toEqual(['rollback']);
    expect(planActions('rolled_back')).toEqual([]);
  });
});
