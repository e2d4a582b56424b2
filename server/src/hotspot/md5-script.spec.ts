import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MD5_SCRIPT } from '@kasi/domain';

const md5 = runInNewContext(`${MD5_SCRIPT}; kasiMd5`) as (s: string) => string;
const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

describe('the hotspot page MD5 (md5.js)', () => {
  it('gives the RFC 1321 test-suite digests', () => {
    expect(md5('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(md5('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(md5('1234567890'.repeat(8))).toBe('57edf4a22be3c955ac49da2e2107b67a');
  });

  it('matches node:crypto on any byte string, across block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(md5(latin1(bytes))).toBe(createHash('md5').update(bytes).digest('hex'));
      }),
    );
  });

  it('computes the CHAP response as RADIUS checks it: MD5(id + password + challenge)', () => {
    const id = Buffer.from([0xd3]);
    const challenge = Buffer.from('8c2f7e0a61b95d4e33a07c1f9e2b6d58', 'hex');
    const expected = createHash('md5').update(Buffer.concat([id, Buffer.from('ABCD2345'), challenge]));
    expect(md5(latin1(id) + 'ABCD2345' + latin1(challenge))).toBe(expected.digest('hex'));
  });
});
