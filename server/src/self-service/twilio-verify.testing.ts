// A loopback stand-in for verify.twilio.com, speaking its real shapes: HTTP Basic with the
// account SID and auth token, form bodies, 201 for a started verification (POST
// /v2/Services/{VA…}/Verifications, To + Channel=sms), {status: 'approved'} for the right code
// (POST …/VerificationCheck, To + Code) and Twilio's 404 (code 20404) when none is pending.
// The fake makes a random six-digit code per verification, readable as a phone would read it.
import { randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const VERIFY_TEST_ACCOUNT = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'verify-token' };
export const VERIFY_TEST_SERVICE = `VA${'b'.repeat(32)}`;

export interface VerifyFake {
  url: string;
  /** Every request as received: path and form fields. */
  requests: { path: string; form: Record<string, string> }[];
  /** The code pending for a number (what the SMS from Twilio would say), or undefined. */
  codeFor(to: string): string | undefined;
  close(): Promise<void>;
}

export async function startVerifyFake(
  account = VERIFY_TEST_ACCOUNT,
  service = VERIFY_TEST_SERVICE,
): Promise<VerifyFake> {
  const pending = new Map<string, string>();
  const requests: VerifyFake['requests'] = [];
  const basic = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.headers.authorization !== basic)
        return send(401, { code: 20003, message: 'Authenticate', status: 401 });
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded')
        return send(400, { code: 20001, status: 400 });
      requests.push({ path: req.url ?? '', form: Object.fromEntries(form) });
      const to = form.get('To') ?? '';
      if (req.url === `/v2/Services/${service}/Verifications` && form.get('Channel') === 'sms') {
        pending.set(to, String(randomInt(0, 1_000_000)).padStart(6, '0'));
        return send(201, {
          sid: 'VE1',
          service_sid: service,
          to,
          channel: 'sms',
          status: 'pending',
          valid: false,
        });
      }
      if (req.url === `/v2/Services/${service}/VerificationCheck`) {
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
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    codeFor: (to) => pending.get(to),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
