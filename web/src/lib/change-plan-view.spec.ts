import { describe, expect, it } from 'vitest';
import { expectedSafeMode } from '@kasi/domain';
import {
  MASKED,
  forecastSafety,
  planActions,
  viewOp,
  viewSafety,
  type SafetyFacts,
} from './change-plan-view.ts';

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

describe('viewSafety before applying', () => {
  const before = (over: Partial<SafetyFacts>) =>
    viewSafety({
      status: 'approved',
      safety: undefined,
      opCount: 3,
      routerVersion: '7.18.2 (stable)',
      ...over,
    });

  it('says the plan will run in safe mode on RouterOS 7.18 or later', () => {
    const view = before({ status: 'pending' });
    expect(view).toMatchObject({ summary: 'In RouterOS safe mode', tone: 'ok' });
    expect(view?.details.join(' ')).toContain('the router itself undoes the whole plan');
  });

  it('says why it falls back to inverse operations on a router older than 7.18', () => {
    const view = before({ routerVersion: '7.17.2 (stable)' });
    expect(view?.summary).toBe('Without safe mode: Kasi undoes a failure itself');
    expect(view?.details[0]).toBe(
      'RouterOS 7.17.2 (stable) is older than 7.18, the first version with safe mode in its API.',
    );
    expect(view?.details[1]).toContain('writes the opposite of each change');
  });

  it('says why it falls back on a plan larger than 50 operations, whatever the version', () => {
    const view = before({ opCount: 51 });
    expect(view?.summary).toBe('Without safe mode: Kasi undoes a failure itself');
    expect(view?.details[0]).toContain('This plan makes 51 changes, more than the 50');
    expect(before({ opCount: 50 })?.summary).toBe('In RouterOS safe mode');
  });

  it('says it depends on the version when Kasi has not read it', () => {
    expect(before({ routerVersion: undefined })?.summary).toBe('Safe mode if the router has it');
  });

  it('forecasts safe mode exactly where the shared rule the server applies says so', () => {
    for (const routerVersion of [
      '7.18',
      '7.18.2 (stable)',
      '7.24',
      '8.0',
      '7.17.2 (stable)',
      '7.9',
      'unknown',
    ])
      for (const opCount of [1, 50, 51]) {
        const inSafeMode = forecastSafety(opCount, routerVersion).summary === 'In RouterOS safe mode';
        const expected = expectedSafeMode({ version: routerVersion, opCount });
        expect(inSafeMode, `${routerVersion}, ${opCount} operations`).toBe(expected.mode === 'safe-mode');
      }
  });
});

describe('viewSafety after applying', () => {
  const after = (status: SafetyFacts['status'], safety: SafetyFacts['safety']) =>
    viewSafety({ status, safety, opCount: 3, routerVersion: '7.18.2 (stable)' });
  const fallback = 'RouterOS 7.17.2 (stable) has no safe mode in its API (it needs 7.18 or later)';

  it('says an applied plan ran in safe mode and was verified', () => {
    const view = after('applied', { mode: 'safe-mode' });
    expect(view).toMatchObject({ summary: 'Applied in RouterOS safe mode', tone: 'ok' });
    expect(view?.details[0]).toBe('Verified: the router shows the planned settings.');
  });

  it('says why an applied plan ran without safe mode', () => {
    const view = after('applied', { mode: 'inverse-ops', fallback });
    expect(view?.summary).toBe('Applied without safe mode');
    expect(view?.details).toContain(`Safe mode was not used: ${fallback}.`);
  });

  it('credits the router’s safe mode and says the router was verified back as it was', () => {
    const view = after('rolled_back', { mode: 'safe-mode', undoneBy: 'safe-mode' });
    expect(view).toMatchObject({ summary: 'Undone by the router’s safe mode', tone: 'ok' });
    expect(view?.details[0]).toBe(
      'Verified: Kasi re-read the router and it matches how it was before the plan.',
    );
  });

  it('credits Kasi’s inverse operations when safe mode left a difference, and says nothing was re-checked', () => {
    const note = 'after safe mode the router still differed (/radius is not as it was)';
    const view = after('rolled_back', { mode: 'safe-mode', undoneBy: 'inverse-ops', note });
    expect(view).toMatchObject({ summary: 'Undone by Kasi’s inverse operations', tone: 'warn' });
    expect(view?.details[0]).toContain('Safe mode did not bring the router back');
    expect(view?.details[1]).toMatch(/^Not verified/);
    expect(view?.details).toContain(`Details: ${note}.`);
  });

  it('says an undo by inverse operations without safe mode was not verified, with the reason', () => {
    const view = after('rolled_back', { mode: 'inverse-ops', fallback, undoneBy: 'inverse-ops' });
    expect(view?.summary).toBe('Undone by Kasi’s inverse operations');
    expect(view?.details).toContain(`Safe mode was not used: ${fallback}.`);
    expect(view?.details.some((d) => d.startsWith('Not verified'))).toBe(true);
  });

  it('warns when the undo could not be confirmed or stopped part-way', () => {
    const unconfirmed = after('failed', { mode: 'safe-mode', undoneBy: 'safe-mode' });
    expect(unconfirmed).toMatchObject({
      summary: 'Undo by the router’s safe mode not confirmed',
      tone: 'danger',
    });
    expect(unconfirmed?.details[0]).toMatch(/^Not verified/);
    const partly = after('failed', { mode: 'inverse-ops', fallback, undoneBy: 'inverse-ops' });
    expect(partly).toMatchObject({ summary: 'Kasi’s inverse operations failed', tone: 'danger' });
    expect(partly?.details.join(' ')).toContain('may be partly changed');
  });

  it('tells a later roll back by an operator from an undone failure', () => {
    expect(after('rolled_back', { mode: 'safe-mode' })?.summary).toBe(
      'Applied in RouterOS safe mode, then rolled back',
    );
    expect(after('failed', { mode: 'safe-mode' })?.details[0]).toContain('The roll back did not complete');
  });

  it('says a plan stopped before it changed anything, and is silent where nothing was recorded', () => {
    expect(after('aborted', { mode: 'safe-mode' })?.summary).toBe('Stopped before changing anything');
    expect(after('applied', undefined)).toBeNull();
    expect(after('aborted', undefined)).toBeNull();
    expect(after('rejected', undefined)).toBeNull();
  });
});
