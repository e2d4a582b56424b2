import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountingRecord } from './accounting.ts';
import { AccountingSpool } from './accounting-spool.ts';

const rec = (id: string, octets = 1n): AccountingRecord => ({
  status: 'interim',
  nasId: 'n',
  tenantId: 't',
  userName: 'u',
  acctSessionId: id,
  nasPort: null,
  framedIp: null,
  callingStationId: null,
  sessionTime: 1,
  inputOctets: octets,
  outputOctets: 2n ** 40n,
  terminateCause: null,
  at: new Date('2026-11-22T00:00:00Z'),
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spool-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('AccountingSpool', () => {
  it('replays in arrival order with exact 64-bit counters, then is empty', async () => {
    const spool = new AccountingSpool(dir);
    await spool.init();
    await Promise.all(['a', 'b', 'c'].map((id, i) => spool.append(rec(id, BigInt(i) + 2n ** 33n))));
    expect(spool.depth).toBe(3);
    const seen: AccountingRecord[] = [];
    expect(await spool.replay(async (r) => void seen.push(r))).toBe(3);
    expect(seen.map((r) => r.acctSessionId)).toEqual(['a', 'b', 'c']);
    expect(seen[1]?.inputOctets).toBe(2n ** 33n + 1n);
    expect(seen[0]?.at).toEqual(new Date('2026-11-22T00:00:00Z'));
    expect(spool.depth).toBe(0);
    expect(await spool.replay(async () => undefined)).toBe(0);
  });

  it('keeps everything after a failed replay and survives a restart', async () => {
    const spool = new AccountingSpool(dir);
    await spool.init();
    for (const id of ['a', 'b', 'c']) await spool.append(rec(id));
    let calls = 0;
    await expect(
      spool.replay(async () => {
        if (++calls === 2) throw new Error('db down');
      }),
    ).rejects.toThrow('db down');
    expect(spool.depth).toBe(3);
    await spool.append(rec('d'));

    const restarted = new AccountingSpool(dir);
    await restarted.init();
    expect(restarted.depth).toBe(4);
    const seen: string[] = [];
    await restarted.replay(async (r) => void seen.push(r.acctSessionId));
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(restarted.depth).toBe(0);
  });
});
