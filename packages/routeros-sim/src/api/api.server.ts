// startRouterOsSim: one emulated router listening on loopback, plain API and (given a key and
// certificate) API-SSL, with its state, fault switches and subscriber helpers on the handle.
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { SubscriberControls } from '../state/active-sessions.ts';
import { subscriberControls } from '../state/active-sessions.ts';
import type { Row } from '../state/menu.schema.ts';
import { createRouterState } from '../state/router.seed.ts';
import type { RouterState } from '../state/router.state.ts';
import type { RouterOsVersion } from '../state/version.profile.ts';
import { ApiSession } from './api.session.ts';
import { FaultController } from './fault.controller.ts';
import type { ApiUserSpec, GroupSpec } from './user.directory.ts';
import { DEFAULT_USERS, UserDirectory } from './user.directory.ts';

export interface RouterOsSimOptions {
  /** Release to imitate; default '7.18'. */
  version?: RouterOsVersion;
  identity?: string;
  /** API users; default a single `admin` with an empty password in group `full`. */
  users?: readonly ApiUserSpec[];
  /** Groups besides the built-in full, read and write. */
  groups?: readonly GroupSpec[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Plain API port; default 0 (an ephemeral port). */
  port?: number;
  /** PEM key and certificate to also serve API-SSL. */
  tls?: { key: string | Buffer; cert: string | Buffer; port?: number };
  /** Overrides for /system/resource (board-name, architecture-name, cpu-load…). */
  resource?: Row;
  /** Clock source, for deterministic uptime and dates in tests. */
  now?: () => number;
}

export interface RouterOsSim {
  readonly host: string;
  readonly port: number;
  readonly tlsPort: number | undefined;
  readonly version: RouterOsVersion;
  readonly state: RouterState;
  readonly faults: FaultController;
  readonly subscribers: SubscriberControls;
  /** Open API connections right now. */
  connectionCount(): number;
  /** Sends `!fatal <message>` on every open connection and closes them. */
  sendFatal(message: string): void;
  /** Cuts every open connection without a word. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startRouterOsSim(options: RouterOsSimOptions = {}): Promise<RouterOsSim> {
  const version = options.version ?? '7.18';
  const host = options.host ?? '127.0.0.1';
  const state = createRouterState({
    version,
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    ...(options.resource === undefined ? {} : { resource: options.resource }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const faults = new FaultController();
  const users = new UserDirectory(options.users ?? DEFAULT_USERS, options.groups ?? []);
  const sessions = new Set<ApiSession>();
  const accept = (socket: Socket): void => {
    const session = new ApiSession(socket, { state, faults, users });
    sessions.add(session);
    socket.once('close', () => sessions.delete(session));
  };
  const servers: Server[] = [createServer(accept)];
  const port = await listen(servers[0] as Server, host, options.port ?? 0);
  let tlsPort: number | undefined;
  if (options.tls) {
    const tlsServer = createTlsServer({ key: options.tls.key, cert: options.tls.cert }, accept);
    tlsServer.on('tlsClientError', () => undefined); // failed handshakes are the client's problem
    servers.push(tlsServer);
    tlsPort = await listen(tlsServer, host, options.tls.port ?? 0);
  }
  return {
    host,
    port,
    tlsPort,
    version,
    state,
    faults,
    subscribers: subscriberControls(state),
    connectionCount: () => sessions.size,
    sendFatal: (message) => sessions.forEach((s) => s.sendFatal(message)),
    dropConnections: () => sessions.forEach((s) => s.destroy()),
    close: async () => {
      sessions.forEach((s) => s.destroy());
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
