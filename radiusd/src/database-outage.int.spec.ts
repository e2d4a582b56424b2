// PostgreSQL goes away mid-run: known users keep logging in from the cache, accounting is
// answered from the local spool, and once the database is back every record lands once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  radiusSessions,
  runMigrations,
  startEmbeddedPostgres,
  type DbHandle,
  type EmbeddedServer,
} from '@kasi/db';
import { Code, encodeRequest, type AttributeInput } from '@kasi/radius';
import { startHarness, type Harness } from './testing/radius-harness.ts';
import { TEST_SECRET } from './testing/login.ts';

let dir: string;
let port: number;
let pg: EmbeddedServer;
let handle: DbHandle;
let h: Harness;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kasi-outage-pg-'));
  port = 21000 + Math.floor(Math.random() * 20000);
  pg = await startEmbeddedPostgres({ dataDir: dir, port });
  handle = connect(pg.url, { max: 4 });
  await runMigrations(handle);
  h = await startHarness(handle);
}, 120_000);

afterAll(async () => {
  await h?.close();
  await handle?.close();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

let id = 0;
const access = (user: string) =>
  h.exchange(
    encodeRequest({
      code: Code.AccessRequest,
      identifier: ++id % 256,
      attributes: [
        ['User-Name', user],
        ['User-Password', user],
      ],
      secret: TEST_SECRET,
      messageAuthenticator: true,
    }),
    h.server.authPort,
  );
const accounting = (attributes: AttributeInput[]) =>
  h.exchange(
    encodeRequest({ code: Code.AccountingRequest, identifier: ++id % 256, attributes, secret: TEST_SECRET }),
    h.server.acctPort,
  );

describe('database outage', () => {
  it('keeps known users online, spools accounting, and replays it exactly once', async () => {
    const [known = '', unknown = ''] = h.codes;
    const session = (
      sid: string,
      status: 'Start' | 'Interim-Update' | 'Stop',
      seconds: number,
      octets: number,
    ): AttributeInput[] => [
      ['User-Name', known],
      ['Acct-Session-Id', sid],
      ['NAS-Port', 1],
      ['Acct-Status-Type', status],
      ['Acct-Session-Time', seconds],
      ['Acct-Input-Octets', octets],
    ];
    expect((await access(known))?.code).toBe(Code.AccessAccept);
    expect((await accounting(session('s1', 'Start', 0, 0)))?.code).toBe(Code.AccountingResponse);

    await pg.stop();
    expect((await access(known))?.code).toBe(Code.AccessAccept);
    // Never seen before the outage: nothing to decide with, so no answer (the NAS tries another server).
    expect(await access(unknown)).toBeNull();
    for (const [sid, status, secs, octets] of [
      ['s1', 'Interim-Update', 60, 1000],
      ['s1', 'Interim-Update', 120, 2000],
      ['s1', 'Stop', 150, 2500],
      ['s2', 'Start', 0, 0],
    ] as const) {
      expect((await accounting(session(sid, status, secs, octets)))?.code, `${sid} ${status}`).toBe(
        Code.AccountingResponse,
      );
    }
    expect(h.writer.spoolDepth).toBe(4);

    pg = await startEmbeddedPostgres({ dataDir: dir, port });
    await expect
      .poll(async () => (await h.writer.drain(), h.writer.spoolDepth), { timeout: 20_000, interval: 500 })
      .toBe(0);

    const rows = await handle.db.select().from(radiusSessions).orderBy(radiusSessions.acctSessionId);
    expect(rows.map((r) => [r.acctSessionId, r.sessionTime, r.inputOctets, r.stoppedAt !== null])).toEqual([
      ['s1', 150, 2500n, true],
      ['s2', 0, 0n, false],
    ]);
    expect((await access(unknown))?.code).toBe(Code.AccessAccept);
  }, 60_000);
});
