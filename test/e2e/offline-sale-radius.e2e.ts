// A voucher sold offline by a field agent, through the real product: the agent's phone
// (WebCrypto P-256 key, as the PWA makes it) enrols, takes stock, sells with no signal and
// later pushes the signed sale through `sync.push`; the real radclient then logs in with
// the code against radiusd. The domain rule for a leased code whose sale has not synced yet
// is to admit it (ADR 0007: the buyer may log in before the agent's phone has signal).
// The server's job runner then texts the buyer a receipt through a local Twilio fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalSaleOp, uuidv7, type SaleOp, type SignedSaleOp } from '@kasi/domain';
import { startTwilioFake, type TwilioFake } from '@kasi/server/testing/twilio-fake.ts';
import { apiAs } from '../support/api-client.ts';
import { startKasi, type KasiProcess } from '../support/kasi-process.ts';
import { radclient } from '../support/radclient.ts';
import { createTenant } from '../support/seed.ts';

const SECRET = 'e2e-offline-sale-secret';
const OWNER = { email: 'owner@acme.test', password: 'correct horse battery' };
const AGENT = { email: 'amina@acme.test', password: 'agent password 1' };

let kasi: KasiProcess;
let twilio: TwilioFake;
let owner: Awaited<ReturnType<typeof apiAs>>;
let agent: Awaited<ReturnType<typeof apiAs>>;
let planId = '';
let batchId = '';

beforeAll(async () => {
  twilio = await startTwilioFake();
  kasi = await startKasi({
    KASI_TWILIO_ACCOUNT_SID: twilio.accountSid,
    KASI_TWILIO_AUTH_TOKEN: twilio.authToken,
    KASI_TWILIO_FROM: '+15005550006',
    KASI_TWILIO_API_URL: twilio.url,
    KASI_SMS_COUNTRY_CODE: '254',
    KASI_JOB_POLL_SECONDS: '0.2',
  });
  await createTenant(kasi, OWNER);
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
  );
  await kasi.cli(
    'agent:add',
    '--tenant',
    'acme',
    '--email',
    AGENT.email,
    '--password',
    AGENT.password,
    '--limit',
    '100.00',
  );
  owner = await apiAs(kasi.baseUrl, OWNER.email, OWNER.password);
  const plan = await owner.plan.create.mutate({
    name: 'Hour 5M',
    downloadBps: 5_000_000,
    uploadBps: 1_000_000,
    validitySeconds: 3600,
    priceMinor: 2000n,
    currency: 'KES',
  });
  planId = plan.id;
  batchId = (await owner.voucher.createBatch.mutate({ planId, quantity: 5 })).id;
  agent = await apiAs(kasi.baseUrl, AGENT.email, AGENT.password);
  // radiusd learns of the new NAS through LISTEN/NOTIFY; give it a moment.
  await new Promise((r) => setTimeout(r, 300));
}, 120_000);

afterAll(async () => {
  await kasi?.stop();
  await twilio?.close();
});

/** The phone's side: a non-extractable signing key, enrolled and approved. */
async function enrolPhone() {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  const device = await agent.agent.registerDevice.mutate({
    label: 'Amina’s phone',
    publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' },
  });
  await owner.agent.approveDevice.mutate({ deviceId: device.id });
  async function sell(code: string, seq: number, buyerPhone: string | null = null): Promise<SignedSaleOp> {
    const op: SaleOp = {
      saleId: uuidv7(),
      seq,
      kind: 'sale',
      code,
      amountMinor: 2000n,
      currency: 'KES',
      soldAt: new Date().toISOString(),
      buyerPhone,
    };
    const text = new TextEncoder().encode(canonicalSaleOp(device.id, op));
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, text);
    return { ...op, signature: Buffer.from(sig).toString('base64') };
  }
  return { id: device.id, sell };
}

const login = (code: string) =>
  radclient({
    port: kasi.radiusAuthPort,
    type: 'auth',
    secret: SECRET,
    attributes: `User-Name=${code},User-Password=${code},Message-Authenticator=0x00`,
  });

async function statusOf(code: string) {
  const { rows } = await owner.voucher.codes.query({ batchId });
  const row = rows.find((r) => r.code === code);
  return { id: row?.id ?? '', status: row?.status };
}

describe('a voucher sold offline, through sync and radiusd', () => {
  it('admits the code once synced with the plan’s speed, and refuses it once voided', async () => {
    const phone = await enrolPhone();
    await agent.agent.requestLease.mutate({ deviceId: phone.id, planId, count: 2 });
    const feed = await agent.sync.pull.query({ deviceId: phone.id, cursor: null });
    const [early = '', late = ''] = feed.leased.map((l) => l.code);
    expect(feed.leased).toHaveLength(2);

    // No signal: both sales are signed and queued on the phone. One buyer logs in at once.
    const ops = [await phone.sell(early, 1), await phone.sell(late, 2, '0712345678')];
    const before = await login(early);
    expect(before.code, before.output).toBe('Access-Accept');
    expect(before.attributes['Mikrotik-Rate-Limit']).toBe('1M/5M');
    expect(await statusOf(early)).toMatchObject({ status: 'active' });
    expect(await statusOf(late)).toMatchObject({ status: 'leased' });

    // Back online: the outbox drains; a replay changes nothing.
    const pushed = await agent.sync.push.mutate({ deviceId: phone.id, ops });
    expect(pushed.results.map((r) => r.result)).toEqual(['applied', 'applied']);
    const replay = await agent.sync.push.mutate({ deviceId: phone.id, ops });
    expect(replay.results.map((r) => r.result)).toEqual(['duplicate', 'duplicate']);
    expect(await statusOf(early)).toMatchObject({ status: 'active' });
    const sold = await statusOf(late);
    expect(sold.status).toBe('sold');

    // The buyer who left a number gets the code by SMS from the server's job runner.
    await expect.poll(() => twilio.messages.length, { timeout: 10_000 }).toBe(1);
    expect(twilio.messages[0]).toMatchObject({ to: '+254712345678', from: '+15005550006' });
    expect(twilio.messages[0]?.body).toContain(late);
    expect(twilio.messages[0]?.body).toContain('Hour 5M');

    const accepted = await login(late);
    expect(accepted.code, accepted.output).toBe('Access-Accept');
    expect(accepted.attributes['Mikrotik-Rate-Limit']).toBe('1M/5M');
    expect(accepted.attributes['Session-Timeout']).toBe('3600');

    expect(await owner.voucher.void.mutate({ ids: [sold.id] })).toBe(1);
    const refused = await login(late);
    expect(refused.code, refused.output).toBe('Access-Reject');
    expect(refused.attributes['Reply-Message']).toBe('This voucher has been voided');
  });
});
