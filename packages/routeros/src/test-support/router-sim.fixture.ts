// Starts @kasi/routeros-sim routers over API-SSL (and plain) with Kasi's API user, and builds
// client options for them; log events are collected so tests can check what was logged.
import type { RouterOsSim, RouterOsVersion } from '@kasi/routeros-sim';
import { startRouterOsSim } from '@kasi/routeros-sim';
import type { ConnectRouterOptions, RouterLogEvent } from '../router.options.ts';
import type { TestPki } from './tls-pki.fixture.ts';

export const API_USER = { name: 'kasi', password: 'Tr0ub4dor&3-kasi' };
/** A user whose group lacks the `api` policy (RouterOS: "not allowed (9)"). */
export const NO_API_USER = { name: 'winbox-only', password: 'winbox-pass' };

export async function startSim(version: RouterOsVersion, pki: TestPki, port?: number): Promise<RouterOsSim> {
  return startRouterOsSim({
    version,
    identity: `kasi-${version}`,
    users: [
      { name: API_USER.name, password: API_USER.password, group: 'full' },
      { name: NO_API_USER.name, password: NO_API_USER.password, group: 'no-api' },
    ],
    groups: [{ name: 'no-api', policy: ['read', 'write', 'winbox'] }],
    tls: { key: pki.routerKey, cert: pki.routerCert, ...(port === undefined ? {} : { port }) },
  });
}

export interface LogSink {
  events: RouterLogEvent[];
  log: (event: RouterLogEvent) => void;
}

export function logSink(): LogSink {
  const events: RouterLogEvent[] = [];
  return { events, log: (event) => events.push(event) };
}

/** api-ssl against the sim, verified with the test CA; fast backoff for tests. */
export function simOptions(
  sim: RouterOsSim,
  pki: TestPki,
  overrides: Partial<ConnectRouterOptions> = {},
): ConnectRouterOptions {
  return {
    host: sim.host,
    port: sim.tlsPort ?? 0,
    tls: { ca: pki.caCert },
    username: API_USER.name,
    password: API_USER.password,
    timeoutMs: 3000,
    reconnect: { baseDelayMs: 20, maxDelayMs: 200, attemptsPerCall: 3 },
    ...overrides,
  };
}
