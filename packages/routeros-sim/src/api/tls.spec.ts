import { RouterOSAPI } from 'node-routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApiClient } from '../test-support/api.test-client.ts';
import type { TestCertificate } from '../test-support/tls-cert.fixture.ts';
import { createTestCertificate } from '../test-support/tls-cert.fixture.ts';
import type { RouterOsSim } from './api.server.ts';
import { startRouterOsSim } from './api.server.ts';

let sim: RouterOsSim;
let cert: TestCertificate;

beforeAll(async () => {
  cert = createTestCertificate();
  sim = await startRouterOsSim({ version: '7.17', identity: 'tls-router', tls: cert });
});

afterAll(async () => {
  await sim.close();
});

describe('API-SSL', () => {
  it('serves the API over TLS on its own port, verified against the test CA', async () => {
    expect(sim.tlsPort).toBeGreaterThan(0);
    expect(sim.tlsPort).not.toBe(sim.port);
    const client = await TestApiClient.connect(sim.tlsPort ?? 0, { tls: { ca: cert.cert } });
    expect(await client.login()).toEqual([['!done']]);
    expect(await client.run(['/system/identity/print'])).toEqual([['!re', '=name=tls-router'], ['!done']]);
    client.close();
  });

  it('keeps plain TCP working alongside TLS', async () => {
    const client = await TestApiClient.connect(sim.port);
    expect(await client.login()).toEqual([['!done']]);
    client.close();
  });

  it('lets node-routeros log in over TLS', async () => {
    const api = new RouterOSAPI({
      host: '127.0.0.1',
      port: sim.tlsPort ?? 0,
      user: 'admin',
      password: '',
      timeout: 3,
      tls: { ca: cert.cert },
    });
    api.on('error', () => undefined);
    await api.connect();
    expect(await api.write('/system/identity/print')).toEqual([{ name: 'tls-router' }]);
    await api.close();
  });

  it('refuses a client that does not trust the certificate', async () => {
    await expect(TestApiClient.connect(sim.tlsPort ?? 0, { tls: { ca: '' } })).rejects.toThrow();
  });
});
