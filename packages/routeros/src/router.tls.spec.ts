// API-SSL with certificate verification against a CA made at test time, and the rule that the
// plain API is refused unless the operator allowed it.
import type { RouterOsSim } from '@kasi/routeros-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRouter } from './router.client.ts';
import type { RouterErrorCode } from './router.errors.ts';
import { RouterError } from './router.errors.ts';
import type { ConnectRouterOptions } from './router.options.ts';
import { logSink, simOptions, startSim } from './test-support/router-sim.fixture.ts';
import { ROUTER_HOSTNAME, createTestPki } from './test-support/tls-pki.fixture.ts';

const pki = createTestPki();
let sim: RouterOsSim;

beforeAll(async () => {
  sim = await startSim('7.17', pki);
});

afterAll(async () => {
  await sim.close();
});

async function identityOver(options: ConnectRouterOptions): Promise<string> {
  const client = await connectRouter(options);
  try {
    return await client.getIdentity();
  } finally {
    await client.close();
  }
}

async function failureOf(
  options: ConnectRouterOptions,
): Promise<{ code: RouterErrorCode; attempts: number }> {
  const sink = logSink();
  try {
    await connectRouter({ ...options, log: sink.log });
  } catch (error) {
    if (!(error instanceof RouterError)) throw error;
    return {
      code: error.code,
      attempts: sink.events.filter((e) => e.event === 'router.connect_failed').length,
    };
  }
  return expect.fail('expected the connection to fail');
}

describe('api-ssl', () => {
  it('verifies the router certificate against the given CA', async () => {
    expect(await identityOver(simOptions(sim, pki))).toBe('kasi-7.17');
  });

  it('verifies against servername when the host is an address', async () => {
    const options = simOptions(sim, pki, { tls: { ca: pki.caCert, servername: ROUTER_HOSTNAME } });
    expect(await identityOver(options)).toBe('kasi-7.17');
  });

  it('verifies against an IP servername without sending it as SNI (no Node warning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const options = simOptions(sim, pki, { tls: { ca: pki.caCert, servername: '127.0.0.1' } });
      expect(await identityOver(options)).toBe('kasi-7.17');
      const wrongAddress = simOptions(sim, pki, { tls: { ca: pki.caCert, servername: '10.9.9.9' } });
      expect(await failureOf(wrongAddress)).toEqual({ code: 'ROUTER.TLS', attempts: 1 });
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.message)).toEqual([]);
  });

  it('fails with ROUTER.TLS, without retrying, when another CA signed the certificate', async () => {
    const options = simOptions(sim, pki, { tls: { ca: pki.otherCaCert } });
    expect(await failureOf(options)).toEqual({ code: 'ROUTER.TLS', attempts: 1 });
  });

  it("fails with ROUTER.TLS when only Node's CA store is trusted", async () => {
    expect(await failureOf(simOptions(sim, pki, { tls: {} }))).toMatchObject({ code: 'ROUTER.TLS' });
  });

  it('fails with ROUTER.TLS when the certificate names another host', async () => {
    const options = simOptions(sim, pki, { tls: { ca: pki.caCert, servername: 'other.kasi.test' } });
    expect(await failureOf(options)).toEqual({ code: 'ROUTER.TLS', attempts: 1 });
  });

  it('connects without verification only when told to, and warns on every connect', async () => {
    const sink = logSink();
    const options = simOptions(sim, pki, { tls: { rejectUnauthorized: false }, log: sink.log });
    expect(await identityOver(options)).toBe('kasi-7.17');
    expect(sink.events).toContainEqual(
      expect.objectContaining({ level: 'warn', event: 'router.insecure_transport' }),
    );
  });

  it('does not hang when api-ssl is pointed at the plain API port', async () => {
    const reconnect = { attemptsPerCall: 1 };
    const { code } = await failureOf(simOptions(sim, pki, { port: sim.port, timeoutMs: 500, reconnect }));
    expect(['ROUTER.TLS', 'ROUTER.UNREACHABLE', 'ROUTER.TIMEOUT']).toContain(code);
  });
});

describe('plain API', () => {
  it('is refused unless allowPlain is set, before any connection is made', async () => {
    const before = sim.connectionCount();
    const options = simOptions(sim, pki, { tls: false, port: sim.port });
    expect(await failureOf(options)).toEqual({ code: 'ROUTER.PLAIN_NOT_ALLOWED', attempts: 0 });
    expect(sim.connectionCount()).toBe(before);
  });

  it('works when the operator allows it, with a warning', async () => {
    const sink = logSink();
    const options = simOptions(sim, pki, { tls: false, allowPlain: true, port: sim.port, log: sink.log });
    expect(await identityOver(options)).toBe('kasi-7.17');
    expect(sink.events.map((e) => e.event)).toEqual(['router.connected', 'router.insecure_transport']);
  });
});
