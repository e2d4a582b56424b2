// A known NAS sends a User-Name that cannot be a credential (a NUL byte, bytes that are not
// UTF-8) among ordinary logins: that request alone is rejected and counted, its neighbours in
// the same batched lookup are answered as usual, and no log line carries a code.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@kasi/db';
import { createTestDatabase } from '@kasi/db/testing';
import { Code, encodeRequest, getString, type Packet } from '@kasi/radius';
import { startHarness, type Harness } from './testing/radius-harness.ts';
import { TEST_SECRET } from './testing/login.ts';

let db: { handle: DbHandle; drop(): Promise<void> };
let h: Harness;
const logged: string[] = [];
const logTo = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged.push(chunk.toString('utf8'));
    done();
  },
});

beforeAll(async () => {
  db = await createTestDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
  h = await startHarness(db.handle, { vouchers: 20, logTo });
});
afterAll(async () => {
  await h.close();
  await db.drop();
});

let identifier = 0;
const accessRequest = (user: Buffer | string, password: string) =>
  encodeRequest({
    code: Code.AccessRequest,
    identifier: ++identifier % 256,
    attributes: [
      ['User-Name', user],
      ['User-Password', password],
    ],
    secret: TEST_SECRET,
    messageAuthenticator: true,
  });

/** 20 Access-Requests sent back to back, so radiusd reads them in one poll and batches their lookups. */
async function loginTogether(bad: Buffer, at = 7) {
  const good = h.codes.slice(0, 19);
  const requests = good.map((code) => accessRequest(code, code));
  requests.splice(at, 0, accessRequest(bad, 'whatever'));
  const replies = await Promise.all(requests.map((r) => h.exchange(r, h.server.authPort)));
  return { good, bad: replies[at], others: replies.filter((_, i) => i !== at) };
}

const rejected = (reason: string) => h.metrics.requests.get(`type="access",result="reject_${reason}"`);

function expectNoCredentialLogged(codes: string[]) {
  const text = logged.join('');
  for (const code of codes) expect(text, 'a voucher code in the log').not.toContain(code);
}

describe('a User-Name that cannot be a credential', () => {
  it('rejects a NUL byte for that request alone, counts it, and answers the other 19', async () => {
    const before = rejected('user_name_nul_byte');
    const code = h.codes[19] ?? '';
    const { good, bad, others } = await loginTogether(Buffer.from(`${code.slice(0, 4)}\0${code.slice(4)}`));
    expect(others.map((p: Packet | null) => p?.code)).toEqual(good.map(() => Code.AccessAccept));
    expect(others.every((p) => p && getString(p, 'Mikrotik-Rate-Limit') === '1M/5M')).toBe(true);
    expect(bad?.code).toBe(Code.AccessReject);
    expect(rejected('user_name_nul_byte')).toBe(before + 1);
    expect(h.metrics.render()).toContain(
      'kasi_radius_requests_total{type="access",result="reject_user_name_nul_byte"} 1',
    );
    expectNoCredentialLogged(h.codes);
  });

  it('rejects bytes that are not UTF-8 for that request alone, counts them, and answers the other 19', async () => {
    const before = rejected('user_name_invalid_utf8');
    const { good, bad, others } = await loginTogether(
      Buffer.concat([Buffer.from(h.codes[19] ?? ''), Buffer.from([0xc3, 0x28])]),
      0,
    );
    expect(others.map((p) => p?.code)).toEqual(good.map(() => Code.AccessAccept));
    expect(bad?.code).toBe(Code.AccessReject);
    expect(rejected('user_name_invalid_utf8')).toBe(before + 1);
    expectNoCredentialLogged(h.codes);
  });
});

describe('an Accounting-Request whose text PostgreSQL cannot store', () => {
  it('is dropped and counted, and the records sent with it are stored and answered', async () => {
    const before = h.metrics.droppedFor('user_name_nul_byte');
    const start = (user: Buffer | string, session: string) =>
      encodeRequest({
        code: Code.AccountingRequest,
        identifier: ++identifier % 256,
        attributes: [
          ['User-Name', user],
          ['Acct-Session-Id', session],
          ['NAS-Port', 1],
          ['Acct-Status-Type', 'Start'],
        ],
        secret: TEST_SECRET,
      });
    const requests = h.codes.slice(0, 19).map((code, i) => start(code, `ok-${i}`));
    requests.splice(3, 0, start(Buffer.from('AB\0CD'), 'bad'));
    const replies = await Promise.all(requests.map((r) => h.exchange(r, h.server.acctPort, 1000)));
    expect(replies.map((p) => p?.code ?? null)).toEqual(
      requests.map((_, i) => (i === 3 ? null : Code.AccountingResponse)),
    );
    expect(h.metrics.droppedFor('user_name_nul_byte')).toBe(before + 1);
  });
});

describe('a batched lookup the database refuses', () => {
  it('is logged without a voucher code or User-Name', async () => {
    const from = logged.length;
    const codes = h.codes.slice(0, 20);
    // Every lookup statement now fails with an error that is not an outage (42703).
    await db.handle.db.execute(sql`alter table vouchers rename column code to code_gone`);
    try {
      const replies = await Promise.all(
        codes.map((code) => h.exchange(accessRequest(code.toLowerCase(), code), h.server.authPort, 500)),
      );
      // No decision can be made: no reply, so the NAS retries or asks its next server.
      expect(replies).toEqual(codes.map(() => null));
    } finally {
      await db.handle.db.execute(sql`alter table vouchers rename column code_gone to code`);
    }
    const lines = logged.slice(from).join('');
    expect(lines).toContain('request failed');
    expect(lines).toContain('42703');
    for (const code of codes) {
      expect(lines).not.toContain(code);
      expect(lines).not.toContain(code.toLowerCase());
    }
  });
});
