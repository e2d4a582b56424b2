import { describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { matchTotp, newTotpSecret, timeStepAt } from './totp.ts';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes.ts';

const at = 1_800_000_015; // 15 s into a step
const secret = newTotpSecret();
const codeAt = (epoch: number) => generate({ secret, epoch });

describe('TOTP codes', () => {
  it('accept the current step and one step either side, nothing further', async () => {
    const step = timeStepAt(at);
    for (const offset of [-30, 0, 30]) {
      expect(
        await matchTotp({ secret, code: await codeAt(at + offset), lastTimeStep: null, epochSeconds: at }),
      ).toBe(step + offset / 30);
    }
    for (const offset of [-60, 60]) {
      expect(
        await matchTotp({ secret, code: await codeAt(at + offset), lastTimeStep: null, epochSeconds: at }),
      ).toBeNull();
    }
  });

  it('refuse a step at or before the last one accepted, and anything that is not six digits', async () => {
    const code = await codeAt(at);
    expect(await matchTotp({ secret, code, lastTimeStep: timeStepAt(at), epochSeconds: at })).toBeNull();
    expect(await matchTotp({ secret, code, lastTimeStep: timeStepAt(at) - 1, epochSeconds: at })).toBe(
      timeStepAt(at),
    );
    // A stored step ahead of the clock (the clock went back) refuses everything rather than throwing.
    expect(await matchTotp({ secret, code, lastTimeStep: timeStepAt(at) + 5, epochSeconds: at })).toBeNull();
    expect(await matchTotp({ secret, code: `${code}0`, lastTimeStep: null, epochSeconds: at })).toBeNull();
    expect(
      await matchTotp({
        secret,
        code: `${code.slice(0, 3)} ${code.slice(3)}`,
        lastTimeStep: null,
        epochSeconds: at,
      }),
    ).toBe(timeStepAt(at));
  });
});

describe('recovery codes', () => {
  it('are ten distinct 80-bit codes whose digest ignores case, spaces and dashes', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(normaliseRecoveryCode(c)).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    const c = codes[0] ?? '';
    expect(hashRecoveryCode(` ${c.toLowerCase().replaceAll('-', ' ')} `)).toBe(hashRecoveryCode(c));
  });
});
