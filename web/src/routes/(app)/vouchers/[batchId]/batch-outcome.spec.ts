import { describe, expect, it } from 'vitest';
import { describeExtension, describeReplan } from './batch-outcome.ts';

describe('batch change outcomes', () => {
  it('says what an extension changed and what it left alone', () => {
    const text = describeExtension(
      {
        extended: 12,
        notStarted: 30,
        unlimited: 0,
        skipped: { void: 2, locked: 0, expired: 1, exhausted: 0 },
      },
      7,
    );
    expect(text).toBe(
      '12 codes now run 7 days longer. 30 codes not used yet start their validity at first login. Left alone: 2 void, 1 already expired.',
    );
  });

  it('says where codes moved, in the singular when there is one', () => {
    const text = describeReplan(
      { moved: 1, alreadyOnPlan: 0, skipped: { void: 0, locked: 0, leased: 3, sold: 0, used: 0 } },
      'Day pass',
    );
    expect(text).toBe('1 code moved to Day pass. Left alone: 3 on an agent’s phone.');
  });
});
