// The foundation's promise: a plan and a batch made through the API, then the real
// radclient logging in with a code gets Access-Accept with the plan's speed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import postgres from 'postgres';
import {
  Code,
  decodePacket,
  encodeResponse,
  getString,
  verifyAccountingRequestAuthenticator,
  type Packet,
} from '@kasi/radius';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { apiAs } from '../support/api-client.ts';
import { radclient } from '../support/radclient.ts';

const SECRET = 'e2e-shared-secret-123';
let kasi: KasiProcess;
let codes: string[] = [];
let quotaCodes: string[] = [];
let shortCodes: string[] = [];
let api: Awaited<ReturnType<typeof apiAs>>;
let batchIds: string[] = [];
// Plays the router's `/radius incoming` listener: records Disconnect-Requests and ACKs them.
let nasCoa: Socket;
const disconnects: Packet[] = [];

beforeAll(async () => {
  nasCoa = createSocket('udp4');
  nasCoa.on('message', (msg, rinfo) => {
    const d = decodePacket(msg);
    if (!d.ok || d.packet.code !== Code.DisconnectRequest) return;
    if (!verifyAccountingRequestAuthenticator(d.packet, Buffer.from(SECRET))) return;
    disconnects.push(d.packet);
    const ack = encodeResponse({
      code: Code.DisconnectAck,
      identifier: d.packet.identifier,
      requestAuthenticator: d.packet.authenticator,
      attributes: [],
      secret: Buffer.from(SECRET),
    });
    nasCoa.send(ack, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => nasCoa.bind(0, '127.0.0.1', r));
  // Every line at every level, so the last test can show that none carries a credential.
  kasi = await startKasi({ KASI_LOG_LEVEL: 'debug' });
  await kasi.cli(
    'tenant:create',
    '--slug',
    'acme',
    '--name',
    'Acme',
    '--currency',
    'KES',
    '--owner-email',
    'owner@acme.test',
    '--owner-password',
    'correct horse battery',
  );
  await kasi.cli(
    'nas:add',
    '--tenant',
    'acme',
    '--name',
    'loopback',
    '--address',
    '127.0.0.1',
    '--secret',
    SECRET,
    '--coa-port',
    String(nasCoa.address().port),
  );
  api = await apiAs(kasi.baseUrl, 'owner@acme.test', 'correct horse battery');
  const plan = await api.plan.create.mutate({
    name: 'Hour 5M',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 3600,
    dataQuotaBytes: 6n * 2n ** 32n,
    priceMinor: 2000n,
    currency: 'KES',
  });
  const batch = await api.voucher.createBatch.mutate({ planId: plan.id, quantity: 5 });
  codes = (await api.voucher.codes.query({ batchId: batch.id })).rows.map((r) => r.code);
  batchIds = [batch.id];
  const small = await api.plan.create.mutate({
    name: '1 MB',
    downloadBps: 1_000_000,
    uploadBps: 1_000_000,
    dataQuotaBytes: 1_000_000n,
    priceMinor: 100n,
    currency: 'KES',
  });
  const smallBatch = await api.voucher.createBatch.mutate({ planId: small.id, quantity: 2 });
  quotaCodes = (await api.voucher.codes.query({ batchId: smallBatch.id })).rows.map((r) => r.code);
  const short = await api.plan.create.mutate({
    name: '3 seconds',
    downloadBps: 1_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 3,
    priceMinor: 1n,
    currency: 'KES',
  });
  const shortBatch = await api.voucher.createBatch.mutate({ planId: short.id, quantity: 1 });
  shortCodes = (await api.voucher.codes.query({ batchId: shortBatch.id })).rows.map((r) => r.code);
  // radiusd learns of the new NAS through LISTEN/NOTIFY; give it a moment.
  await new Promise((r) => setTimeout(r, 300));
}, 120_000);

afterAll(async () => {
  await kasi?.stop();
  nasCoa?.close();
});

const auth = (attrs: string, secret = SECRET) =>
  radclient({ port: kasi.radiusAuthPort, type: 'auth', secret, attributes: attrs });

describe('voucher login through radiusd with the real radclient', () => {
  it('accepts a PAP login with a code and sends the plan’s speed, validity and data limit', async () => {
    const code = codes[0] ?? '';
    const r = await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`);
    expect(r.code, r.output).toBe('Access-Accept');
    expect(r.attributes['Mikrotik-Rate-Limit']).toBe('1M/5M');
    expect(r.attributes['Session-Timeout']).toBe('3600');
    expect(r.attributes['Mikrotik-Total-Limit-Gigawords']).toBe('6');
    expect(r.attributes['Mikrotik-Total-Limit']).toBe('0');
  });

  it('accepts CHAP (the hotspot default)', async () => {
    const code = codes[1] ?? '';
    const r = await auth(`User-Name=${code},CHAP-Password=${code},Message-Authenticator=0x00`);
    expect(r.code, r.output).toBe('Access-Accept');
    expect(r.attributes['Mikrotik-Rate-Limit']).toBe('1M/5M');
  });

  it('rejects an unknown code and a wrong password', async () => {
    const bad = await auth('User-Name=ZZZZZZZZZ,User-Password=ZZZZZZZZZ,Message-Authenticator=0x00');
    expect(bad.code, bad.output).toBe('Access-Reject');
    const code = codes[2] ?? '';
    const wrong = await auth(`User-Name=${code},User-Password=nope,Message-Authenticator=0x00`);
    expect(wrong.code, wrong.output).toBe('Access-Reject');
  });

  it('does not answer a wrong shared secret or a request without Message-Authenticator', async () => {
    const code = codes[3] ?? '';
    const wrongSecret = await auth(
      `User-Name=${code},User-Password=${code},Message-Authenticator=0x00`,
      'not-the-secret',
    );
    expect(wrongSecret.code, wrongSecret.output).toBeNull();
    const noMa = await auth(`User-Name=${code},User-Password=${code}`);
    expect(noMa.code, noMa.output).toBeNull();
    const metrics = await (await fetch(kasi.metricsUrl)).text();
    expect(metrics).toMatch(/kasi_radius_dropped_total\{reason="bad_message_authenticator"\} [1-9]/);
    expect(metrics).toMatch(/kasi_radius_dropped_total\{reason="missing_message_authenticator"\} [1-9]/);
  });

  it('stores accounting Start and Stop with 64-bit octets', async () => {
    const code = codes[0] ?? '';
    const acct = (attrs: string) =>
      radclient({ port: kasi.radiusAcctPort, type: 'acct', secret: SECRET, attributes: attrs });
    const base = `User-Name=${code},Acct-Session-Id=e2e-1,NAS-Port=7,Framed-IP-Address=10.5.0.9`;
    expect((await acct(`${base},Acct-Status-Type=Start`)).code).toBe('Accounting-Response');
    const stop = await acct(
      `${base},Acct-Status-Type=Stop,Acct-Session-Time=120,Acct-Input-Octets=10,Acct-Input-Gigawords=1,Acct-Output-Octets=20,Acct-Terminate-Cause=User-Request`,
    );
    expect(stop.code, stop.output).toBe('Accounting-Response');
    const sql = postgres(kasi.env.DATABASE_URL ?? '', { max: 1, types: { bigint: postgres.BigInt } });
    try {
      const rows =
        await sql`select session_time, input_octets, output_octets, stopped_at, terminate_cause, framed_ip from radius_sessions where user_name = ${code}`;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        session_time: 120,
        input_octets: 2n ** 32n + 10n,
        output_octets: 20n,
        terminate_cause: 'User-Request',
        framed_ip: '10.5.0.9',
      });
      expect(rows[0]?.stopped_at).toBeInstanceOf(Date);
      const [v] =
        await sql`select used_seconds, used_octets, status, first_used_at from vouchers where code = ${code}`;
      expect(v).toMatchObject({ used_seconds: 120, used_octets: 2n ** 32n + 30n, status: 'active' });
    } finally {
      await sql.end();
    }
  });

  it('sends a Disconnect-Request to the router when a session uses up its data', async () => {
    const code = quotaCodes[0] ?? '';
    const login = await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`);
    expect(login.attributes['Mikrotik-Total-Limit']).toBe('1000000');
    const acct = (attrs: string) =>
      radclient({ port: kasi.radiusAcctPort, type: 'acct', secret: SECRET, attributes: attrs });
    const base = `User-Name=${code},Acct-Session-Id=quota-1,NAS-Port=9,Framed-IP-Address=10.5.0.10`;
    await acct(`${base},Acct-Status-Type=Start`);
    await acct(
      `${base},Acct-Status-Type=Interim-Update,Acct-Session-Time=60,Acct-Input-Octets=400000,Acct-Output-Octets=200000`,
    );
    expect(disconnects).toHaveLength(0);
    const over = await acct(
      `${base},Acct-Status-Type=Interim-Update,Acct-Session-Time=120,Acct-Input-Octets=700000,Acct-Output-Octets=400000`,
    );
    expect(over.code).toBe('Accounting-Response');
    await expect.poll(() => disconnects.length, { timeout: 5000 }).toBe(1);
    const [d] = disconnects;
    expect(d && getString(d, 'User-Name')).toBe(code);
    expect(d && getString(d, 'Acct-Session-Id')).toBe('quota-1');
    const again = await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`);
    expect(again.code).toBe('Access-Reject');
  });

  it('starts validity at first login and rejects the code once it has run out', async () => {
    const code = shortCodes[0] ?? '';
    const first = await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`);
    expect(first.code, first.output).toBe('Access-Accept');
    expect(Number(first.attributes['Session-Timeout'])).toBeLessThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 3500));
    const later = await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`);
    expect(later.code, later.output).toBe('Access-Reject');
    expect(later.attributes['Reply-Message']).toBe('This voucher has expired');
  });

  it('refuses a second device while the code’s one allowed session is open', async () => {
    const code = codes[4] ?? '';
    expect((await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`)).code).toBe(
      'Access-Accept',
    );
    const acct = (attrs: string) =>
      radclient({ port: kasi.radiusAcctPort, type: 'acct', secret: SECRET, attributes: attrs });
    await acct(`User-Name=${code},Acct-Session-Id=shared-1,NAS-Port=3,Acct-Status-Type=Start`);
    const second = await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`);
    expect(second.code, second.output).toBe('Access-Reject');
    expect(second.attributes['Reply-Message']).toBe('This voucher is already in use on another device');
    await acct(
      `User-Name=${code},Acct-Session-Id=shared-1,NAS-Port=3,Acct-Status-Type=Stop,Acct-Session-Time=10`,
    );
    expect((await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`)).code).toBe(
      'Access-Accept',
    );
  });

  it('rejects a voided code that was accepted before', async () => {
    const code = codes[2] ?? '';
    expect((await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`)).code).toBe(
      'Access-Accept',
    );
    const { rows } = await api.voucher.codes.query({ batchId: batchIds[0] ?? '' });
    const id = rows.find((r) => r.code === code)?.id ?? '';
    expect(await api.voucher.void.mutate({ ids: [id] })).toBe(1);
    const after = await auth(`User-Name=${code},User-Password=${code},Message-Authenticator=0x00`);
    expect(after.code, after.output).toBe('Access-Reject');
    expect(after.attributes['Reply-Message']).toBe('This voucher has been voided');
  });

  it('rejects a User-Name with a NUL byte or bytes that are not UTF-8, and counts each', async () => {
    const code = codes[1] ?? '';
    const nul = await auth(
      `User-Name="${code.slice(0, 3)}\\000${code.slice(3)}",User-Password=x,Message-Authenticator=0x00`,
    );
    expect(nul.code, nul.output).toBe('Access-Reject');
    const notUtf8 = await auth(`User-Name="${code}\\303\\050",User-Password=x,Message-Authenticator=0x00`);
    expect(notUtf8.code, notUtf8.output).toBe('Access-Reject');
    const metrics = await (await fetch(kasi.metricsUrl)).text();
    expect(metrics).toContain(
      'kasi_radius_requests_total{type="access",result="reject_user_name_nul_byte"} 1',
    );
    expect(metrics).toContain(
      'kasi_radius_requests_total{type="access",result="reject_user_name_invalid_utf8"} 1',
    );
    const next = await auth(`User-Name=${code},CHAP-Password=${code},Message-Authenticator=0x00`);
    expect(next.code, next.output).toBe('Access-Accept');
  });

  // Last: it reads the log of every test above.
  it('writes no voucher code, password or shared secret to the log of the whole run', () => {
    const log = kasi.output();
    expect(log).toContain('radiusd');
    for (const secret of [...codes, ...quotaCodes, ...shortCodes, 'correct horse battery', SECRET]) {
      expect(log.includes(secret), `${secret.slice(0, 2)}… in the log`).toBe(false);
    }
  });
});
