import { describe, expect, it } from 'vitest';
import { SAFE_MODE_MAX_OPS, expectedSafeMode, routerOsHasSafeMode } from './safe-mode.ts';

describe('routerOsHasSafeMode', () => {
  it.each([
    ['7.18', true],
    ['7.18.2 (stable)', true],
    ['7.18beta2 (testing)', true],
    ['7.20 (stable)', true],
    ['8.0 (development)', true],
    ['7.17.2 (stable)', false],
    ['7.9', false],
    ['6.49.18 (long-term)', false],
    ['unknown', false],
    ['', false],
  ])('%s → %s', (version, expected) => {
    expect(routerOsHasSafeMode(version)).toBe(expected);
  });
});

describe('expectedSafeMode', () => {
  it('uses safe mode for up to 50 operations on RouterOS 7.18 or later', () => {
    expect(SAFE_MODE_MAX_OPS).toBe(50);
    expect(expectedSafeMode({ version: '7.18.2 (stable)', opCount: 50 })).toEqual({
      mode: 'safe-mode',
      reason: 'supported',
    });
  });

  it('falls back to inverse operations above 50 operations, whatever the version', () => {
    for (const version of ['7.18.2 (stable)', '7.17', undefined])
      expect(expectedSafeMode({ version, opCount: 51 })).toEqual({
        mode: 'inverse-ops',
        reason: 'too-many-ops',
      });
  });

  it('falls back to inverse operations on RouterOS older than 7.18', () => {
    expect(expectedSafeMode({ version: '7.17.2 (stable)', opCount: 1 })).toEqual({
      mode: 'inverse-ops',
      reason: 'routeros-too-old',
    });
  });

  it('cannot tell for a small plan while the version is unknown', () => {
    expect(expectedSafeMode({ version: undefined, opCount: 3 })).toEqual({
      mode: 'unknown',
      reason: 'version-unknown',
    });
  });
});
