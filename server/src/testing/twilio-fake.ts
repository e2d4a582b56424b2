// A local stand-in for Twilio's Messages API, speaking its HTTP shape: POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To/From/Body, basic auth with
// the account SID and auth token; 201 with the message resource, 400 with Twilio's error
// body (code, message, more_info, status) for a bad number, and scripted 429/500 answers.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
}

export interface TwilioFake {
  url: string;
  accountSid: string;
  authToken: string;
  messages: FakeMessage[];
  /** Answers the next `times` message requests with `status` (429 or 5xx) instead of sending. */
  failNext(status: 429 | 500 | 503, times?: number): void;
  /** Delays every answer, to widen race windows in concurrency tests. */
  delayMs: number;
  requests: number;
  close(): Promise<void>;
}

const PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/;
const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\.json$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;
/** Twilio's magic test numbers: the refusals their test credentials give for these. */
const REFUSED_TO: Record<string, { code: number; message: string }> = {
  '+15005550001': { code: 21211, message: "The 'To' number +15005550001 is not a valid phone number." },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  '+15005550009': { code: 21614, message: "'To' number is not a valid mobile number" },
};

const errorBody = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

const SCRIPTED: Record<number, { code: number; message: string }> = {
  429: { code: 20429, message: 'Too Many Requests' },
  500: { code: 20500, message: 'Internal Server Error' },
  503: { code: 20503, message: 'Service Unavailable' },
};

function messageResource(m: FakeMessage) {
  const now = new Date().toUTCString().replace('GMT', '+0000');
  return {
    sid: m.sid,
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: now,
    date_updated: now,
    date_sent: null,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    status: m.messagingServiceSid ? 'accepted' : 'queued',
    subresource_uris: { media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
  };
}

async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startTwilioFake(): Promise<TwilioFake> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const failures: number[] = [];
  const fake: TwilioFake = {
    url: '',
    accountSid,
    authToken,
    messages: [],
    delayMs: 0,
    requests: 0,
    failNext: (status, times = 1) => failures.push(...Array<number>(times).fill(status)),
    close: () => new Promise((r) => server.close(() => r())),
  };

  const send = (res: ServerResponse, status: number, body: unknown) =>
    setTimeout(
      () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      fake.delayMs,
    );

  const authorised = (req: IncomingMessage) =>
    req.headers.authorization === `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const account = ACCOUNT_PATH.exec(req.url ?? '')?.[1];
    if (req.method === 'GET' && account) {
      // The account look-up a "test connection" makes.
      if (account !== accountSid || !authorised(req))
        return send(res, 401, errorBody(401, 20003, 'Authenticate'));
      return send(res, 200, {
        sid: accountSid,
        friendly_name: 'Kasi test account',
        status: 'active',
        type: 'Full',
        uri: `/2010-04-01/Accounts/${accountSid}.json`,
      });
    }
    const sid = PATH.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || !sid) return send(res, 404, errorBody(404, 20404, 'Not Found'));
    fake.requests++;
    const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (sid !== accountSid || req.headers.authorization !== expected) {
      return send(res, 401, errorBody(401, 20003, 'Authenticate'));
    }
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return send(res, 400, errorBody(400, 21601, 'Unsupported content type'));
    }
    const form = await readBody(req);
    const scripted = failures.shift();
    if (scripted) return send(res, scripted, errorBody(scripted, SCRIPTED[scripted]?.code ?? 20500, 'Fault'));
    const to = form.get('To') ?? '';
    if (!E164.test(to)) {
      return send(res, 400, errorBody(400, 21211, `The 'To' number ${to} is not a valid phone number.`));
    }
    const refused = REFUSED_TO[to];
    if (refused) return send(res, 400, errorBody(400, refused.code, refused.message));
    const from = form.get('From');
    const messagingServiceSid = form.get('MessagingServiceSid');
    if (!from && !messagingServiceSid) {
      return send(res, 400, errorBody(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required"));
    }
    const body = form.get('Body') ?? '';
    if (!body) return send(res, 400, errorBody(400, 21602, 'Message body is required.'));
    const message: FakeMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      accountSid,
      to,
      from,
      messagingServiceSid,
      body,
      statusCallback: form.get('StatusCallback'),
    };
    fake.messages.push(message);
    send(res, 201, messageResource(message));
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
