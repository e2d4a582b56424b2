import { describe, expect, it } from 'vitest';
import { md4 } from './md4.ts';

describe('md4', () => {
  // RFC 1320 appendix A.5 test suite.
  const suite: [string, string][] = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ];

  it.each(suite)('hashes %j as in RFC 1320', (input, expected) => {
    expect(md4(Buffer.from(input, 'ascii')).toString('hex')).toBe(expected);
  });

  // Lengths around the 56-byte padding boundary, checked against `openssl dgst -md4 -provider legacy`.
  it.each([
    [55, 'x', '92f32bb82c95ad10e8f87ae58ab06807'],
    [56, 'y', 'b55f79f47b4b34336f8dba79d63e8fc2'],
    [64, 'z', '27dcdc03cff4ca91fc1d0b1f1bed8eb3'],
  ])('pads a %i-byte message correctly', (length, char, expected) => {
    expect(md4(Buffer.from(char.repeat(length), 'ascii')).toString('hex')).toBe(expected);
  });
});
