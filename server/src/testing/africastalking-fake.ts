// A local stand-in for Africa's Talking's SMS API, speaking its HTTP shape:
// POST /version1/messaging (form: username, to, message, from; header apiKey; Accept JSON) →
// 201 {SMSMessageData: {Message, Recipients: [{statusCode, number, status, cost, messageId}]}},
// per-recipient refusals for a few reserved numbers, 401 with their plain-text answer for a
// bad key, scripted 500s; GET /version1/user?username= → {UserData: {balance}}.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AtFakeMessage {
  id: string;
  username: string;
  to: string;
  from: string | null;
  message: string;
}

export interface AfricasTalkingFake {
  url: string;
  username: string;
  apiKey: string;
  messages: AtFakeMessage[];
  requests: number;
  failNext(status: 500 | 503, times?: number): void;
  close(): Promise<void>;
}

/** Numbers the fake refuses the way Africa's Talking does, per recipient. */
export const AT_REFUSED: Readonly<Record<string, { statusCode: number; status: string }>> = {
  '+254700000403': { statusCode: 403, status: 'InvalidPhoneNumber' },
  '+254700000406': { statusCode: 406, status: 'UserInBlacklist' },
  '+254700000405': { statusCode: 405, status: 'InsufficientBalance' },
};

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startAfricasTalkingFake(): Promise<AfricasTalkingFake> {
  const failures: number[] = [];
  const fake: AfricasTalkingFake = {
    url: '',
    username: 'sandbox',
    apiKey: `atsk_${randomBytes(24).toString('hex')}`,
    messages: [],
    requests: 0,
    failNext: (status, times = 1) => failures.push(...Array<number>(times).fill(status)),
    close: () => new Promise((r) => server.close(() => r())),
  };
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests++;
    if (req.headers['apikey'] !== fake.apiKey) {
      return res
        .writeHead(401, { 'content-type': 'text/plain' })
        .end('The supplied authentication is invalid');
    }
    if (req.method === 'GET' && url.pathname === '/version1/user') {
      if (url.searchParams.get('username') !== fake.username) return json(res, 401, {});
      return json(res, 200, { UserData: { balance: 'KES 1000.0000' } });
    }
    if (req.method !== 'POST' || url.pathname !== '/version1/messaging') {
      return res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    }
    const form = await readForm(req);
    const scripted = failures.shift();
    if (scripted)
      return res.writeHead(scripted, { 'content-type': 'text/plain' }).end('Internal Server Error');
    if (form.get('username') !== fake.username) {
      return res
        .writeHead(401, { 'content-type': 'text/plain' })
        .end('The supplied authentication is invalid');
    }
    const to = form.get('to') ?? '';
    const message = form.get('message') ?? '';
    if (!message) return json(res, 400, { SMSMessageData: { Message: 'InvalidMessage', Recipients: [] } });
    const refused = AT_REFUSED[to];
    if (refused) {
      return json(res, 201, {
        SMSMessageData: {
          Message: 'Sent to 0/1 Total Cost: 0',
          Recipients: [{ ...refused, number: to, cost: '0', messageId: 'None' }],
        },
      });
    }
    const id = `ATXid_${randomBytes(16).toString('hex')}`;
    fake.messages.push({ id, username: fake.username, to, from: form.get('from'), message });
    return json(res, 201, {
      SMSMessageData: {
        Message: 'Sent to 1/1 Total Cost: KES 0.8000',
        Recipients: [{ statusCode: 101, number: to, status: 'Success', cost: 'KES 0.8000', messageId: id }],
      },
    });
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
