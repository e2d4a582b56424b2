import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioVerify } from './twilio-verify.ts';

// A loopback stand-in for verify.twilio.com: HTTP Basic with the account SID and auth token,
// form bodies, 201 for a started verification, {status: 'approved'} for the right code and
// Twilio's 404 (code 20404) when no verification is pending.
const SID = `AC${'a'.repeat(32)}`;
const TOKEN = 'verify-token';
const SERVICE = `VA${'b'.repeat(32)}`;
const pending = new Map<string, string>();
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.headers.authorization !== `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`)
        return send(401, { code: 20003, message: 'Authenticate', status: 401 });
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded')
        return send(400, { code: 20001, status: 400 });
      const to = form.get('To') ?? '';
      if (req.url === `/v2/Services/${SERVICE}/Verifications` && form.get('Channel') === 'sms') {
        pending.set(to, '424242');
        return send(201, {
          sid: 'VE1',
          service_sid: SERVICE,
          to,
          channel: 'sms',
          status: 'pending',
          valid: false,
        });
      }
      if (req.url === `/v2/Services/${SERVICE}/VerificationCheck`) {
        const code = pending.get(to);
        if (!code)
          return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
        const ok = form.get('Code') === code;
        if (ok) pending.delete(to);
        return send(200, { sid: 'VE1', to, status: ok ? 'approved' : 'pending', valid: ok });
      }
      return send(404, { code: 20404, status: 404 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('Twilio Verify adapter', () => {
  it('starts an SMS verification and approves only the right code, once', async () => {
    const verify = twilioVerify({ accountSid: SID, authToken: TOKEN, serviceSid: SERVICE, apiUrl: url });
    await verify.start('+254712000222');
    expect(await verify.check('+254712000222', '000000')).toBe(false);
    expect(await verify.check('+254712000222', '424242')).toBe(true);
    // Approved already: Twilio answers 404, which is a refusal, not an outage.
    expect(await verify.check('+254712000222', '424242')).toBe(false);
  });

  it('reports refused credentials as the provider being unavailable', async () => {
    const verify = twilioVerify({ accountSid: SID, authToken: 'wrong', serviceSid: SERVICE, apiUrl: url });
    await expect(verify.start('+254712000223')).rejects.toMatchObject({
      code: 'OTP.PROVIDER',
      kind: 'unavailable',
    });
  });
});
