// /tool/fetch (a real HTTP download), /file, the walled garden and /ip/hotspot/active/login:
// what installing a hotspot login page and logging a buyer in touch on a router.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestApiClient, attrs, records } from '../test-support/api.test-client.ts';
import type { RouterOsSim } from './api.server.ts';
import { startRouterOsSim } from './api.server.ts';

let http: Server;
let base = '';
let sim: RouterOsSim;
let c: TestApiClient;

beforeAll(async () => {
  http = createServer((req, res) => {
    if (req.url === '/pages/login.html') res.writeHead(200).end('<p>$(mac)</p>');
    else if (req.url === '/big') res.writeHead(200).end(Buffer.alloc(70 * 1024, 65));
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => http.close(() => r())));

beforeEach(async () => {
  sim = await startRouterOsSim({ version: '7.18' });
  c = await TestApiClient.connect(sim.port);
  await c.login();
});
afterEach(async () => {
  c.close();
  await sim.close();
});

describe('/tool/fetch and /file', () => {
  it('downloads over HTTP into dst-path and shows the file with its size and contents', async () => {
    const reply = await c.run([
      '/tool/fetch',
      `=url=${base}/pages/login.html`,
      '=dst-path=kasi-1/login.html',
    ]);
    expect(reply.at(-1)?.[0]).toBe('!done');
    expect(attrs(reply[0] ?? [])).toMatchObject({ status: 'finished', downloaded: '1', total: '1' });
    const files = records(await c.run(['/file/print']));
    expect(files.map((f) => [f.name, f.type])).toEqual([
      ['kasi-1', 'directory'],
      ['kasi-1/login.html', '.html file'],
    ]);
    expect(files[1]).toMatchObject({ size: '13', contents: '<p>$(mac)</p>' });
  });

  it('traps a failed download and stores nothing', async () => {
    const reply = await c.run(['/tool/fetch', `=url=${base}/missing`, '=dst-path=x.html']);
    expect(reply[0]?.[0]).toBe('!trap');
    expect(attrs(reply[0] ?? []).message).toMatch(/^failure: closing connection: <404 Not Found>/);
    expect(records(await c.run(['/file/print']))).toEqual([]);
  });

  it('prints files over 60 KB without contents, and removes files', async () => {
    await c.run(['/tool/fetch', `=url=${base}/big`]);
    const [big] = records(await c.run(['/file/print', '?name=big']));
    expect(big).toMatchObject({ size: String(70 * 1024) });
    expect(big).not.toHaveProperty('contents');
    await c.run(['/file/remove', '=numbers=big']);
    expect(records(await c.run(['/file/print']))).toEqual([]);
  });

  it('refuses arguments fetch does not have', async () => {
    const reply = await c.run(['/tool/fetch', `=url=${base}/big`, '=bogus=1']);
    expect(attrs(reply[0] ?? []).message).toBe('unknown parameter');
  });
});

describe('the walled garden and the hotspot profile', () => {
  it('keeps HTTP and IP walled-garden entries and the profile html-directory', async () => {
    await c.run(['/ip/hotspot/walled-garden/add', '=dst-host=pay.example', '=comment=kasi']);
    await c.run(['/ip/hotspot/walled-garden/ip/add', '=dst-host=pay.example', '=comment=kasi']);
    expect(records(await c.run(['/ip/hotspot/walled-garden/print']))[0]).toMatchObject({
      action: 'allow',
      'dst-host': 'pay.example',
    });
    expect(records(await c.run(['/ip/hotspot/walled-garden/ip/print']))[0]).toMatchObject({
      action: 'accept',
    });
    await c.run(['/ip/hotspot/profile/set', '=numbers=hsprof1', '=html-directory=kasi-1']);
    const [p] = records(await c.run(['/ip/hotspot/profile/print', '?name=hsprof1']));
    expect(p?.['html-directory']).toBe('kasi-1');
  });
});

describe('/ip/hotspot/active/login', () => {
  const login = (user: string, password: string) => [
    '/ip/hotspot/active/login',
    `=user=${user}`,
    `=password=${password}`,
    '=mac-address=a4:5e:60:11:22:01',
    '=ip=10.5.50.21',
  ];

  it('logs a device in with a local user, and refuses a wrong password', async () => {
    await c.run(['/ip/hotspot/user/add', '=name=V1', '=password=V1']);
    expect(attrs((await c.run(login('V1', 'nope')))[0] ?? []).message).toBe(
      'failure: invalid username or password',
    );
    expect((await c.run(login('V1', 'V1')))[0]?.[0]).toBe('!done');
    const [active] = records(await c.run(['/ip/hotspot/active/print']));
    expect(active).toMatchObject({ user: 'V1', address: '10.5.50.21', 'mac-address': 'A4:5E:60:11:22:01' });
    expect(attrs((await c.run(login('V1', 'V1')))[0] ?? []).message).toBe('failure: already logged in');
  });

  it('asks the authenticator a test plugs in (RADIUS) instead of local users', async () => {
    const seen: string[] = [];
    sim.state.hotspotAuthenticator = async (a) => {
      seen.push(`${a.user}/${a.password}/${a.macAddress}/${a.ip}`);
      return a.password === 'CODE' ? null : 'RADIUS server rejected';
    };
    expect(attrs((await c.run(login('CODE', 'x')))[0] ?? []).message).toBe('failure: RADIUS server rejected');
    expect((await c.run(login('CODE', 'CODE')))[0]?.[0]).toBe('!done');
    expect(seen).toEqual(['CODE/x/A4:5E:60:11:22:01/10.5.50.21', 'CODE/CODE/A4:5E:60:11:22:01/10.5.50.21']);
    expect(records(await c.run(['/ip/hotspot/active/print']))[0]).toMatchObject({ radius: 'true' });
  });
});
