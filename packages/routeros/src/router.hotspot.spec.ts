// The client's hotspot portal calls against the emulator over API-SSL: /tool/fetch into a file
// (and its trap), reading the file back, and logging a device in with /ip/hotspot/active/login.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouterOsSim } from '@kasi/routeros-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRouter, type RouterClient } from './router.client.ts';
import { RouterError } from './router.errors.ts';
import { simOptions, startSim } from './test-support/router-sim.fixture.ts';
import { createTestPki, type TestPki } from './test-support/tls-pki.fixture.ts';

let pki: TestPki;
let sim: RouterOsSim;
let client: RouterClient;
let http: Server;
let base = '';

beforeAll(async () => {
  pki = await createTestPki();
  sim = await startSim('7.18', pki);
  client = await connectRouter(simOptions(sim, pki));
  http = createServer((req, res) =>
    req.url === '/login.html'
      ? res.writeHead(200).end('<p>hello</p>')
      : res.writeHead(404, 'Not Found').end(),
  );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await client.close();
  await sim.close();
  await new Promise<void>((r) => http.close(() => r()));
});

describe('hotspot portal calls', () => {
  it('fetches a file onto the router and reads it back with size and contents', async () => {
    const done = await client.fetchToFile(`${base}/login.html`, 'kasi-x/login.html');
    expect(done.status).toBe('finished');
    expect(await client.getFile('kasi-x/login.html')).toMatchObject({ size: '12', contents: '<p>hello</p>' });
    expect(await client.getFile('kasi-x/none.html')).toBeUndefined();
  });

  it('rejects with the router’s trap when the download fails', async () => {
    const error = await client.fetchToFile(`${base}/missing`, 'x.html').then(
      () => expect.fail('expected a rejection'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).message).toMatch(/404 Not Found/);
  });

  it('logs a device in through /ip/hotspot/active/login', async () => {
    sim.state.add('/ip/hotspot/user', { name: 'ABCD2345', password: 'ABCD2345' });
    await client.loginHotspotDevice({
      user: 'ABCD2345',
      password: 'ABCD2345',
      macAddress: 'A4:5E:60:11:22:09',
      ip: '10.5.50.9',
    });
    expect(await client.listHotspotActive({ user: 'ABCD2345' })).toHaveLength(1);
  });
});
